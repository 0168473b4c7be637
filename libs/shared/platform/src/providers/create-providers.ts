import type { AppConfig } from '../config/config.schema';
import { createLocalProviders } from './local.providers';
import { createAwsProviders } from './aws.providers';
import type { ProviderDeps, ProviderOverrides, Providers } from './providers';

/** The one composition point that picks adapters by profile; services only ever see `Providers`. */
export function createProviders(config: AppConfig, deps: ProviderDeps, overrides: ProviderOverrides = {}): Providers {
  return config.profile === 'aws' ? createAwsProviders(config, deps, overrides) : createLocalProviders(config, deps, overrides);
}
