import type { Notifier, Logger } from '@relabel/ports';
import type { ParametersCache } from '@relabel/platform';
import { InvalidValueMonitor } from './invalid-values';
import { RecentErrors } from './recent-errors';
import { StoreReadAlarm } from './store-read-alarm';

/**
 * config-watcher's own view of the parameters: the cache of values in force (driven by the store's
 * change notices rather than by `config.changed`, which config-watcher itself publishes), the invalid
 * values it has seen, and its recent background errors.
 */
export interface ParameterAuthority {
  cache: ParametersCache;
  invalid: InvalidValueMonitor;
  storeAlarm: StoreReadAlarm;
  errors: RecentErrors;
  notifier: Notifier;
  logger: Logger;
}
