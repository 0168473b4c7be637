export { createSsmAccountStore, type SsmAccountStoreOptions } from './ssm-account-store.adapter';
