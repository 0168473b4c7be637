import { PutParameterCommand } from '@aws-sdk/client-ssm';
import { describeAccountStoreConformance, sampleAccount } from '@relabel/ports/testing';
import { fakeSsmParameters } from '../ssm-state/fake-ssm-parameters.test-support';
import { createSsmAccountStore } from './ssm-account-store.adapter';

describeAccountStoreConformance('SSM (aws-sdk-client-mock)', async () => {
  const ssm = fakeSsmParameters();
  return { open: () => createSsmAccountStore({ client: ssm.client }, { pathPrefix: '/relabel/' }), cleanup: async () => void ssm.mock.restore() };
});

describe('SSM account store specifics', () => {
  let ssm: ReturnType<typeof fakeSsmParameters>;
  beforeEach(() => {
    ssm = fakeSsmParameters();
  });
  afterEach(() => ssm.mock.restore());

  it('writes one JSON String parameter per account under <prefix>accounts/, beside the state folder', async () => {
    const store = createSsmAccountStore({ client: ssm.client }, { pathPrefix: '/team/relabel' });
    await store.put(sampleAccount('alice'));
    expect(ssm.mock.commandCalls(PutParameterCommand)[0]!.args[0].input).toMatchObject({ Name: '/team/relabel/accounts/alice', Type: 'String', Overwrite: true });
    ssm.params.set('/team/relabel/state/activeModelVersion', '"v1"');
    expect((await store.list()).map((a) => a.name)).toEqual(['alice']);
  });

  it('refuses to answer when a parameter holds garbage or another account', async () => {
    ssm.params.set('/relabel/accounts/alice', JSON.stringify(sampleAccount('mallory')));
    const store = createSsmAccountStore({ client: ssm.client }, { pathPrefix: '/relabel/' });
    await expect(store.get('alice')).rejects.toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE' });
    await expect(store.list()).rejects.toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE' });
  });
});
