import { RelabelError } from '@relabel/contracts';
import type { AppConfig } from '../config/config.schema';
import type { ProviderDeps, ProviderOverrides, Providers } from './providers';

/**
 * The aws profile. Its adapters (S3, SQS, Rekognition Custom Labels, A2I, SSM, SNS) are built in
 * `@relabel/aws-adapters` issue by issue; until every port has one, booting this profile fails
 * loudly at start rather than half-working.
 */
export function createAwsProviders(_config: AppConfig, _deps: ProviderDeps, _overrides: ProviderOverrides = {}): Providers {
  throw new RelabelError(
    'CONFIG_INVALID',
    'RELABEL_PROFILE=aws is not available in this build yet: not every port has an AWS adapter. Use RELABEL_PROFILE=local.',
  );
}
