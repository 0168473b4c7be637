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
import type { ProviderDeps, ProviderFactories, Providers } from './providers';

/** Bucket name reported in local ObjectCreated events and `s3://` manifest references. */
export const LOCAL_BUCKET = 'relabel-local';

/**
 * The embedded adapters, one per port: the data directory instead of a cloud account. The model
 * service and the review service work over whichever object store `self()` composes (a folder or
 * S3); the rest keep their files under the data directory.
 */
export function localFactories(config: AppConfig, deps: ProviderDeps, self: () => Providers): ProviderFactories {
  const { logger } = deps;
  const dir = (...parts: string[]) => path.join(config.dataDir, ...parts);
  let review: ReturnType<typeof createLocalHumanReview> | undefined;
  const reviewService = () =>
    (review ??= createLocalHumanReview(
      { store: self().objectStore, logger: logger.child({ component: 'human-review' }) },
      { dir: dir('review'), flowName: config.review.flowName, answersPerLoop: config.review.answersPerLoop },
    ));
  return {
    objectStore: () => createFsObjectStore({ root: config.bucketDir, bucket: LOCAL_BUCKET }),
    modelService: () =>
      createLocalModelService({ store: self().objectStore, logger: logger.child({ component: 'model-service' }) }, { cacheDir: dir('cache', 'models') }),
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
  };
}
