import { DescribeProjectVersionsCommand, RekognitionClient } from '@aws-sdk/client-rekognition';
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DescribeHumanLoopCommand, SageMakerA2IRuntimeClient } from '@aws-sdk/client-sagemaker-a2i-runtime';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { GetParameterCommand, GetParametersByPathCommand, SSMClient } from '@aws-sdk/client-ssm';
import { silentLogger } from '@relabel/ports';
import { mockClient } from 'aws-sdk-client-mock';
import { loadConfig } from '../config/load-config';
import { createProviders } from './create-providers';

const ENV = {
  RELABEL_PROFILE: 'aws',
  AWS_REGION: 'eu-west-1',
  AWS_ENDPOINT_URL: 'http://127.0.0.1:4566',
  RELABEL_S3_BUCKET: 'relabel-prod',
  RELABEL_DETECTION_EVENTS_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/relabel-detection-events',
  RELABEL_REVIEW_EVENTS_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/relabel-review-events',
  RELABEL_OPERATOR_TOPIC_ARN: 'arn:aws:sns:eu-west-1:123456789012:relabel-operator',
  RELABEL_REKOGNITION_PROJECT_ARN: 'arn:aws:rekognition:eu-west-1:123456789012:project/relabel/1700000000000',
  RELABEL_A2I_FLOW_DEFINITION_ARN: 'arn:aws:sagemaker:eu-west-1:123456789012:flow-definition/relabel-review',
  RELABEL_PARAMETER_PATH: '/relabel/',
};

// Class-level mocks: every client the composition builds answers here, so nothing leaves the process.
const mocks = {
  s3: mockClient(S3Client),
  sqs: mockClient(SQSClient),
  ssm: mockClient(SSMClient),
  sns: mockClient(SNSClient),
  rekognition: mockClient(RekognitionClient),
  a2i: mockClient(SageMakerA2IRuntimeClient),
};
const named = (name: string) => Object.assign(new Error(name), { name, $metadata: { httpStatusCode: 404 } });

/** The client instance that sent the last command through a class-level mock. */
const lastClient = (mock: { send: { lastCall: { thisValue: unknown } } }) => mock.send.lastCall.thisValue as S3Client;

describe('aws providers', () => {
  beforeEach(() => {
    for (const m of Object.values(mocks)) m.reset();
    mocks.s3.on(HeadObjectCommand).rejects(named('NotFound'));
    mocks.rekognition.on(DescribeProjectVersionsCommand).resolves({ ProjectVersionDescriptions: [] });
    mocks.a2i.on(DescribeHumanLoopCommand).rejects(named('ResourceNotFoundException'));
    mocks.ssm.on(GetParameterCommand).rejects(named('ParameterNotFound'));
    mocks.ssm.on(GetParametersByPathCommand).resolves({ Parameters: [] });
    mocks.sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    mocks.sqs.on(ReceiveMessageCommand).callsFake(() => new Promise((resolve) => setTimeout(() => resolve({ Messages: [] }), 10)));
  });
  afterAll(() => {
    for (const m of Object.values(mocks)) m.restore();
  });

  it('builds every port on its AWS adapter from the config, with its region and endpoint', async () => {
    const providers = createProviders(loadConfig(ENV), { logger: silentLogger });
    try {
      expect(await providers.objectStore.head('images_for_detection/a.jpg')).toBeNull();
      expect(mocks.s3.commandCalls(HeadObjectCommand)[0]!.args[0].input).toEqual({ Bucket: 'relabel-prod', Key: 'images_for_detection/a.jpg' });
      const s3 = lastClient(mocks.s3);
      expect(await s3.config.region()).toBe('eu-west-1');
      expect((await s3.config.endpoint!()).hostname).toBe('127.0.0.1');

      expect(await providers.modelService.describeVersions()).toEqual([]);
      expect(mocks.rekognition.commandCalls(DescribeProjectVersionsCommand)[0]!.args[0].input.ProjectArn).toBe(ENV.RELABEL_REKOGNITION_PROJECT_ARN);

      expect(await providers.humanReview.describeHumanLoop('loop-1')).toBeNull();
      expect(mocks.a2i.commandCalls(DescribeHumanLoopCommand)).toHaveLength(1);
      expect(providers.reviewWorkbench).toBeNull();

      expect(await providers.operationalState.get('activeModelVersion')).toBeNull();
      expect(mocks.ssm.commandCalls(GetParameterCommand)[0]!.args[0].input.Name).toBe('/relabel/state/activeModelVersion');
      expect(await providers.parameterStore.getAll()).toEqual([]);
      expect(mocks.ssm.commandCalls(GetParametersByPathCommand)[0]!.args[0].input.Path).toBe('/relabel');

      await providers.notifier.notify({ channel: 'operator', type: 'training.deployed', subject: 'v2 deployed', data: {} });
      expect(mocks.sns.commandCalls(PublishCommand)[0]!.args[0].input.TopicArn).toBe(ENV.RELABEL_OPERATOR_TOPIC_ARN);
      // no consumer topic configured: logged only
      await providers.notifier.notify({ channel: 'consumer', type: 'detection.completed', subject: 'a.jpg', data: {} });
      expect(mocks.sns.commandCalls(PublishCommand)).toHaveLength(1);
    } finally {
      await providers.close();
    }
  });

  it('picks the detection or review events queue by prefix', async () => {
    const providers = createProviders(loadConfig(ENV), { logger: silentLogger });
    for (const [prefixes, queueUrl] of [
      [['images_for_detection/'], ENV.RELABEL_DETECTION_EVENTS_QUEUE_URL],
      [['a2i-human-loop-data/'], ENV.RELABEL_REVIEW_EVENTS_QUEUE_URL],
    ] as const) {
      mocks.sqs.resetHistory();
      const inbox = providers.createInbox([...prefixes], 'test');
      await inbox.start(async () => undefined);
      while (mocks.sqs.commandCalls(ReceiveMessageCommand).length === 0) await new Promise((r) => setTimeout(r, 5));
      await inbox.stop();
      expect(mocks.sqs.commandCalls(ReceiveMessageCommand)[0]!.args[0].input.QueueUrl).toBe(queueUrl);
    }
    expect(() => providers.createInbox(['detection_results/'], 'odd')).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
    await providers.close();
  });

  it('refuses to boot without region or bucket, naming the variables', () => {
    const { AWS_REGION: _r, RELABEL_S3_BUCKET: _b, ...rest } = ENV;
    expect(() => createProviders(loadConfig(rest), { logger: silentLogger })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID', message: expect.stringMatching(/AWS_REGION, RELABEL_S3_BUCKET/) }),
    );
  });

  it.each([
    ['RELABEL_REKOGNITION_PROJECT_ARN', (p: ReturnType<typeof createProviders>) => p.modelService],
    ['RELABEL_A2I_FLOW_DEFINITION_ARN', (p: ReturnType<typeof createProviders>) => p.humanReview],
    ['RELABEL_DETECTION_EVENTS_QUEUE_URL', (p: ReturnType<typeof createProviders>) => p.createInbox(['images_for_detection/'], 'detector')],
    ['RELABEL_REVIEW_EVENTS_QUEUE_URL', (p: ReturnType<typeof createProviders>) => p.createInbox(['a2i-human-loop-data/'], 'labeler')],
  ])('names %s when the port that needs it is used without it', async (variable, use) => {
    const providers = createProviders(loadConfig({ ...ENV, [variable]: '' }), { logger: silentLogger });
    expect(() => use(providers)).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID', message: expect.stringContaining(variable) }));
    expect(providers.objectStore).toBeDefined();
    await providers.close();
  });
});
