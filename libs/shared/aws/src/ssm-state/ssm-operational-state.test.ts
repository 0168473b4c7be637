import { GetParameterCommand, GetParametersByPathCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { describeOperationalStateConformance } from '@relabel/ports/testing';
import { mockClient } from 'aws-sdk-client-mock';
import { createSsmOperationalStateStore } from './ssm-operational-state.adapter';

const named = (name: string, status = 400) => Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });

/** SSM behind aws-sdk-client-mock: a map of parameters, answering in the documented shapes. */
function fakeSsm() {
  const params = new Map<string, string>();
  const client = new SSMClient({ region: 'eu-west-1' });
  const mock = mockClient(client);
  mock.on(GetParameterCommand).callsFake(async (input) => {
    if (!params.has(input.Name!)) throw named('ParameterNotFound');
    return { Parameter: { Name: input.Name, Type: 'String', Value: params.get(input.Name!), Version: 1 } };
  });
  mock.on(GetParametersByPathCommand).callsFake(async (input) => {
    const names = [...params.keys()].filter((n) => n.startsWith(`${input.Path}/`) && !n.slice(input.Path!.length + 1).includes('/')).sort();
    const start = Number(input.NextToken ?? 0);
    const size = Math.min(input.MaxResults ?? 10, 10);
    return {
      Parameters: names.slice(start, start + size).map((n) => ({ Name: n, Type: 'String', Value: params.get(n) })),
      NextToken: start + size < names.length ? String(start + size) : undefined,
    };
  });
  // as SSM does: without a Tier the account default (Standard) applies, which cannot hold over 4 KB
  // and cannot downgrade a parameter once promoted to Advanced; Intelligent-Tiering picks for itself
  const tiers = new Map<string, 'Standard' | 'Advanced'>();
  mock.on(PutParameterCommand).callsFake(async (input) => {
    if (params.has(input.Name!) && !input.Overwrite) throw named('ParameterAlreadyExists');
    const big = Buffer.byteLength(input.Value!) > 4096;
    const was = tiers.get(input.Name!);
    let tier: 'Standard' | 'Advanced';
    if (input.Tier === 'Intelligent-Tiering') tier = big || was === 'Advanced' ? 'Advanced' : 'Standard';
    else tier = input.Tier === 'Advanced' ? 'Advanced' : 'Standard';
    if (tier === 'Standard' && (big || was === 'Advanced')) throw named('ValidationException');
    tiers.set(input.Name!, tier);
    params.set(input.Name!, input.Value!);
    return { Version: 1, Tier: tier };
  });
  return { client, mock, params };
}

describeOperationalStateConformance('SSM (aws-sdk-client-mock)', async () => {
  const ssm = fakeSsm();
  return { open: () => createSsmOperationalStateStore({ client: ssm.client }, { pathPrefix: '/relabel/' }), cleanup: async () => void ssm.mock.restore() };
});

describe('SSM operational state specifics', () => {
  let ssm: ReturnType<typeof fakeSsm>;
  beforeEach(() => {
    ssm = fakeSsm();
  });
  afterEach(() => ssm.mock.restore());

  it('writes one JSON String parameter per item under <prefix>state/, with Overwrite', async () => {
    const store = createSsmOperationalStateStore({ client: ssm.client }, { pathPrefix: '/team/relabel' });
    await store.set('versionsInFlight', ['v7']);
    expect(ssm.mock.commandCalls(PutParameterCommand)[0]!.args[0].input).toMatchObject({
      Name: '/team/relabel/state/versionsInFlight',
      Value: '["v7"]',
      Type: 'String',
      Overwrite: true,
    });
    expect(await store.get('versionsInFlight')).toEqual(['v7']);
  });

  it('reads every item with one GetParametersByPath of the state folder, ignoring anything else there', async () => {
    ssm.params.set('/relabel/Minimum-F1-Score', '0.8');
    ssm.params.set('/relabel/state/unrelated', 'x');
    const store = createSsmOperationalStateStore({ client: ssm.client }, { pathPrefix: '/relabel/' });
    await store.set('activeModelVersion', 'v2');
    expect(await store.getAll()).toEqual({ activeModelVersion: 'v2', versionsInFlight: [], lastDeployedDatasetImages: 0, declaredLabels: [] });
    expect(ssm.mock.commandCalls(GetParametersByPathCommand).map((c) => c.args[0].input)).toEqual([{ Path: '/relabel/state', Recursive: false, MaxResults: 10, NextToken: undefined }]);
    expect(ssm.mock.commandCalls(GetParameterCommand)).toHaveLength(0);
  });

  it('refuses to answer (rather than reset) when a parameter holds garbage', async () => {
    ssm.params.set('/relabel/state/activeModelVersion', '{not json');
    const store = createSsmOperationalStateStore({ client: ssm.client }, { pathPrefix: '/relabel/' });
    await expect(store.get('activeModelVersion')).rejects.toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE' });
    await expect(store.getAll()).rejects.toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE' });
  });

  it.each([['ThrottlingException', 400], ['InternalServerError', 500], ['AccessDeniedException', 400]])(
    'maps %s to DEPENDENCY_UNAVAILABLE (retryable)',
    async (name, status) => {
      ssm.mock.on(GetParameterCommand).rejects(named(name, status));
      ssm.mock.on(PutParameterCommand).rejects(named(name, status));
      const store = createSsmOperationalStateStore({ client: ssm.client }, { pathPrefix: '/relabel/' });
      await expect(store.get('declaredLabels')).rejects.toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE', retryable: true });
      await expect(store.set('declaredLabels', ['x'])).rejects.toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE' });
    },
  );

  it('always sends the intelligent tier, so a value once promoted to Advanced (over 4 KB) can still be rewritten small', async () => {
    const store = createSsmOperationalStateStore({ client: ssm.client }, { pathPrefix: '/relabel/' });
    await store.set('declaredLabels', Array.from({ length: 400 }, (_, i) => `label-number-${i}`));
    await store.set('declaredLabels', ['a']);
    await expect(store.get('declaredLabels')).resolves.toEqual(['a']);
    expect(ssm.mock.commandCalls(PutParameterCommand).map((c) => c.args[0].input.Tier)).toEqual(['Intelligent-Tiering', 'Intelligent-Tiering']);
  });
});

describe('SSM operational state on a network failure', () => {
  it('names the network error code in the message', async () => {
    const ssm = fakeSsm();
    ssm.mock.on(GetParameterCommand).rejects(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }));
    const store = createSsmOperationalStateStore({ client: ssm.client }, { pathPrefix: '/relabel/' });
    await expect(store.get('activeModelVersion')).rejects.toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE', message: expect.stringContaining('ECONNREFUSED') });
    ssm.mock.restore();
  });
});
