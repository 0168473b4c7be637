import path from 'path';
import {
  createFileAccountStore,
  createFileOperationalStateStore,
  createFileParameterStore,
  createFsEventInbox,
  createFsObjectStore,
  createLocalHumanReview,
  createLocalModelService,
  createLocalNotifier,
} from '@relabel/local-adapters';
import type { AppConfig } from '../config/config.schema';
import { lazyProviders, ProviderDeps, ProviderOverrides, Providers } from './providers';

/** Bucket name reported in local ObjectCreated events and `s3://` manifest references. */
export const LOCAL_BUCKET = 'relabel-local';

/** The embedded profile: everything under the data directory, no cloud account. */
export function createLocalProviders(config: AppConfig, deps: ProviderDeps, overrides: ProviderOverrides = {}): Providers {
  const { logger } = deps;
  const dir = (...parts: string[]) => path.join(config.dataDir, ...parts);
  let review: ReturnType<typeof createLocalHumanReview> | undefined;
  const reviewService = () =>
    (review ??= createLocalHumanReview(
      { store: providers.objectStore, logger: logger.child({ component: 'human-review' }) },
      { dir: dir('review'), flowName: config.review.flowName, answersPerLoop: config.review.answersPerLoop },
    ));
  const providers: Providers = lazyProviders(
    {
      objectStore: () => createFsObjectStore({ root: config.bucketDir, bucket: LOCAL_BUCKET }),
      modelService: () =>
        createLocalModelService({ store: providers.objectStore, logger: logger.child({ component: 'model-service' }) }, { cacheDir: dir('cache', 'models') }),
      humanReview: reviewService,
      reviewWorkbench: () => reviewService().workbench,
      parameterStore: () => createFileParameterStore({ logger: logger.child({ component: 'parameter-store' }) }, { file: dir('parameters.json'), pathPrefix: config.parameterPath }),
      operationalState: () => createFileOperationalStateStore({ dir: dir('state', 'operational') }),
      accountStore: () => createFileAccountStore({ dir: dir('accounts') }),
      notifier: () =>
        createLocalNotifier(
          { logger: logger.child({ component: 'notifier' }) },
          { webhookUrl: config.notifications.webhookUrl, timeoutMs: config.notifications.timeoutMs, retries: config.notifications.retries },
        ),
      createInbox: (prefixes, name) =>
        createFsEventInbox(
          { logger: logger.child({ component: 'inbox', inbox: name }) },
          { root: config.bucketDir, bucket: LOCAL_BUCKET, prefixes, ledgerFile: dir('state', `inbox-${name}.jsonl`) },
        ),
    },
    overrides,
  );
  return providers;
}
