import { PREFIX, RelabelError } from '@relabel/contracts';
import {
  createA2iHumanReview,
  createAwsClients,
  createRekognitionModelService,
  createS3ObjectStore,
  createSnsNotifier,
  createSsmAccountStore,
  createSqsEventInbox,
  createSsmOperationalStateStore,
  createSsmParameterStore,
} from '@relabel/aws-adapters';
import type { AppConfig } from '../config/config.schema';
import { filteredInbox } from './filtered-inbox';
import type { ProviderDeps, ProviderFactories, Providers } from './providers';

/** The environment variable behind each `config.aws` setting, for error messages. */
export const AWS_ENV: Record<keyof AppConfig['aws'], string> = {
  region: 'AWS_REGION',
  endpointUrl: 'AWS_ENDPOINT_URL',
  bucket: 'RELABEL_S3_BUCKET',
  detectionEventsQueueUrl: 'RELABEL_DETECTION_EVENTS_QUEUE_URL',
  reviewEventsQueueUrl: 'RELABEL_REVIEW_EVENTS_QUEUE_URL',
  parameterEventsQueueUrl: 'RELABEL_PARAMETER_EVENTS_QUEUE_URL',
  operatorTopicArn: 'RELABEL_OPERATOR_TOPIC_ARN',
  consumerTopicArn: 'RELABEL_CONSUMER_TOPIC_ARN',
  rekognitionProjectArn: 'RELABEL_REKOGNITION_PROJECT_ARN',
  flowDefinitionArn: 'RELABEL_A2I_FLOW_DEFINITION_ARN',
};

type AwsSetting = keyof AppConfig['aws'];

export function missingAwsSettings(settings: AwsSetting[], purpose: string): RelabelError {
  const names = settings.map((s) => AWS_ENV[s]);
  return new RelabelError('CONFIG_INVALID', `the AWS adapters need ${names.join(', ')} (${purpose})`, { missing: names });
}

/**
 * The AWS adapters, one per port: S3 (+ SQS event queues), Rekognition Custom Labels, A2I, SSM
 * Parameter Store (parameters and operational state) and SNS. The composition checks the region
 * (and the bucket, with the S3 store) at boot; the setting of one port (project ARN, flow ARN, a
 * queue URL) is checked when that port is first used, so a service never needs settings it does
 * not use. Either way a missing setting is a CONFIG_INVALID naming its environment variable.
 * Optional: the topic ARNs (without them notifications are only logged) and the parameter events
 * queue (without it only the periodic full read sees changes).
 */
export function awsFactories(config: AppConfig, deps: ProviderDeps, self: () => Providers): ProviderFactories & { destroy(): void } {
  const { logger } = deps;
  const aws = config.aws;
  const need = (setting: AwsSetting, purpose: string): string => {
    const value = aws[setting];
    if (!value) throw missingAwsSettings([setting], purpose);
    return value;
  };
  const bucket = () => need('bucket', 'the S3 bucket');
  const clients = createAwsClients({ region: need('region', 'the AWS region'), endpoint: aws.endpointUrl });
  const child = (component: string) => logger.child({ component });

  const queueFor = (prefixes: string[]): string => {
    const all = (prefix: string) => prefixes.length > 0 && prefixes.every((p) => p.startsWith(prefix));
    if (all(PREFIX.forDetection)) return need('detectionEventsQueueUrl', `the SQS queue of object events under ${PREFIX.forDetection}`);
    if (all(PREFIX.humanLoopData)) return need('reviewEventsQueueUrl', `the SQS queue of object events under ${PREFIX.humanLoopData}`);
    throw new RelabelError('CONFIG_INVALID', `no SQS event queue is configured for objects under ${prefixes.join(', ') || '(no prefix)'}`);
  };

  return {
    objectStore: () => createS3ObjectStore({ client: clients.s3() }, { bucket: bucket() }),
    modelService: () =>
      createRekognitionModelService(
        { client: clients.rekognition(), store: self().objectStore, logger: child('model-service') },
        { projectArn: need('rekognitionProjectArn', 'the Rekognition Custom Labels project'), bucket: bucket() },
      ),
    humanReview: () =>
      createA2iHumanReview(
        { client: clients.a2i(), store: self().objectStore, logger: child('human-review') },
        { flowDefinitionArn: need('flowDefinitionArn', 'the A2I flow definition of the review task'), bucket: bucket() },
      ),
    // reviewers work in the A2I worker portal, not in relabel's review page
    reviewWorkbench: () => null,
    parameterStore: () =>
      createSsmParameterStore(
        { ssm: clients.ssm(), sqs: aws.parameterEventsQueueUrl ? clients.sqs() : undefined, logger: child('parameter-store') },
        { pathPrefix: config.parameterPath, eventsQueueUrl: aws.parameterEventsQueueUrl },
      ),
    operationalState: () => createSsmOperationalStateStore({ client: clients.ssm() }, { pathPrefix: config.parameterPath }),
    accountStore: () => createSsmAccountStore({ client: clients.ssm() }, { pathPrefix: config.parameterPath }),
    notifier: () =>
      createSnsNotifier(
        { client: clients.sns(), logger: child('notifier') },
        { operatorTopicArn: aws.operatorTopicArn, consumerTopicArn: aws.consumerTopicArn, timeoutMs: config.notifications.timeoutMs },
      ),
    createInbox: (prefixes, name) => {
      const inboxLogger = logger.child({ component: 'inbox', inbox: name });
      const inbox = createSqsEventInbox({ client: clients.sqs(), logger: inboxLogger }, { queueUrl: queueFor(prefixes) });
      return filteredInbox(inbox, { bucket: bucket(), prefixes }, inboxLogger);
    },
    destroy: () => clients.destroy(),
  };
}
