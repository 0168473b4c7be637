import { createObjectStoreOperationalStateStore } from '@relabel/local-adapters';
import { ADAPTER_ENV, type Adapters } from '../config/adapters';
import type { AppConfig } from '../config/config.schema';
import { awsFactories, missingAwsSettings } from './aws.providers';
import { localFactories } from './local.providers';
import { lazyProviders, type ProviderDeps, type ProviderFactories, type ProviderOverrides, type Providers } from './providers';

const AWS_VALUES: { [C in keyof Adapters]: Array<Adapters[C]> } = {
  objectStore: ['s3'],
  events: ['sqs'],
  modelService: ['rekognition'],
  humanReview: ['a2i'],
  parameterStore: ['ssm'],
  operationalState: ['ssm'],
  notifier: ['sns'],
};

/** The switches in `adapters` that select an AWS adapter, as `VARIABLE=value`. */
function awsSwitches(adapters: Adapters): string[] {
  return (Object.keys(AWS_VALUES) as Array<keyof Adapters>)
    .filter((c) => (AWS_VALUES[c] as string[]).includes(adapters[c]))
    .map((c) => `${ADAPTER_ENV[c]}=${adapters[c]}`);
}

/**
 * The one composition point: each port gets the adapter its switch names (`config.adapters`, the
 * profile's preset unless set; impossible combinations never get here, `loadConfig` refuses them).
 * Settings every use of an AWS adapter needs are checked now, so a service fails at boot naming
 * them: the region for any AWS adapter, the bucket for the S3 store. Services only ever see `Providers`.
 */
export function createProviders(config: AppConfig, deps: ProviderDeps, overrides: ProviderOverrides = {}): Providers {
  const a = config.adapters;
  const onAws = awsSwitches(a);
  const absent = [...(onAws.length > 0 && !config.aws.region ? (['region'] as const) : []), ...(a.objectStore === 's3' && !config.aws.bucket ? (['bucket'] as const) : [])];
  if (absent.length > 0) throw missingAwsSettings(absent, `for ${onAws.join(', ')}`);

  const self = () => providers;
  const local = localFactories(config, deps, self);
  const aws = onAws.length > 0 ? awsFactories(config, deps, self) : null;
  const from = (useAws: boolean): ProviderFactories => (useAws ? aws! : local);
  const review = from(a.humanReview === 'a2i');
  const providers: Providers = lazyProviders(
    {
      objectStore: from(a.objectStore === 's3').objectStore,
      modelService: from(a.modelService === 'rekognition').modelService,
      humanReview: review.humanReview,
      reviewWorkbench: review.reviewWorkbench,
      parameterStore: from(a.parameterStore === 'ssm').parameterStore,
      operationalState:
        a.operationalState === 'object-store' ? () => createObjectStoreOperationalStateStore({ store: providers.objectStore }) : from(a.operationalState === 'ssm').operationalState,
      // Accounts live where the operational state lives: SSM, or else the data directory.
      accountStore: from(a.operationalState === 'ssm').accountStore,
      notifier: from(a.notifier === 'sns').notifier,
      createInbox: from(a.events === 'sqs').createInbox,
    },
    overrides,
  );
  const closeAdapters = providers.close;
  providers.close = async () => {
    await closeAdapters();
    aws?.destroy();
  };
  return providers;
}
