import { RekognitionClient } from '@aws-sdk/client-rekognition';
import { S3Client } from '@aws-sdk/client-s3';
import { SageMakerA2IRuntimeClient } from '@aws-sdk/client-sagemaker-a2i-runtime';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SSMClient } from '@aws-sdk/client-ssm';

export interface AwsClientOptions {
  region: string;
  /**
   * One endpoint for every service (LocalStack, a VPC endpoint proxy): the composition passes
   * `AWS_ENDPOINT_URL` from the config. S3 then uses path-style addressing, which such endpoints
   * need. Unset, each SDK client resolves its own endpoint (including `AWS_ENDPOINT_URL_<SERVICE>`).
   */
  endpoint?: string;
}

/**
 * The SDK clients the aws profile uses, built on first use from configuration (never from env by
 * relabel itself; credentials come from the SDK's default provider chain: task role, profile, env)
 * and destroyed together when the providers close. It lives here because only this project may
 * import `@aws-sdk/*`; the platform composes with what it returns.
 */
export function createAwsClients(opts: AwsClientOptions) {
  const base = { region: opts.region, ...(opts.endpoint ? { endpoint: opts.endpoint } : {}) };
  const made: Array<{ destroy(): void }> = [];
  const lazy = <T extends { destroy(): void }>(make: () => T) => {
    let client: T | undefined;
    return (): T => {
      if (!client) made.push((client = make()));
      return client;
    };
  };
  return {
    s3: lazy(() => new S3Client({ ...base, forcePathStyle: Boolean(opts.endpoint) })),
    sqs: lazy(() => new SQSClient(base)),
    ssm: lazy(() => new SSMClient(base)),
    sns: lazy(() => new SNSClient(base)),
    rekognition: lazy(() => new RekognitionClient(base)),
    a2i: lazy(() => new SageMakerA2IRuntimeClient(base)),
    /** closes the clients' connection pools */
    destroy(): void {
      for (const client of made.splice(0)) client.destroy();
    },
  };
}

export type AwsClients = ReturnType<typeof createAwsClients>;
