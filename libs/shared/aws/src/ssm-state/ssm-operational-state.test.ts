import { GetParameterCommand, GetParametersByPathCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import { describeOperationalStateConformance } from '@relabel/ports/testing';
import { createSsmOperationalStateStore } from './ssm-operational-state.adapter';
import { fakeSsmParameters as fakeSsm, named } from './fake-ssm-parameters.test-support';

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
