export { createAwsClients, type AwsClientOptions, type AwsClients } from './aws-clients';
