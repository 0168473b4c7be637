import { PARAMETER_NAMES, PARAMETER_SPECS } from '@relabel/contracts';
import { silentLogger } from '@relabel/ports';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { fakeSsm } from '../parameters/ssm-fake.fixture';
import { createSsmParameterStore } from '../parameters/ssm-parameter-store.adapter';
import { fakeRekognition } from '../rekognition/fake-rekognition.test-support';
import { createRekognitionModelService } from '../rekognition/rekognition-model-service.adapter';
import { fakeS3 } from '../s3/fake-s3.test-support';
import { createSnsNotifier } from '../sns/sns-notifier.adapter';
import { fakeSqs } from '../sqs/fake-sqs.test-support';
import { createSqsEventInbox } from '../sqs/sqs-event-inbox';
import { createS3ObjectStore } from '../s3/s3-object-store';
import { createSsmOperationalStateStore } from '../ssm-state/ssm-operational-state.adapter';
import { allows, evaluate, loadTemplate, roleStatements, type Bindings } from './cloudformation.test-support';

const ACCOUNT = '123456789012';
const REGION = 'eu-west-1';
const BUCKET = 'relabel-bucket-1a2b';
const template = loadTemplate();
const parameterPath = String(template.Parameters!['ParameterPath']!.Default);
const arn = (service: string, rest: string) => `arn:aws:${service}:${REGION}:${ACCOUNT}:${rest}`;
const bindings: Bindings = {
  'AWS::Partition': 'aws',
  'AWS::Region': REGION,
  'AWS::AccountId': ACCOUNT,
  'AWS::StackName': 'relabel',
  ParameterPath: parameterPath,
  Bucket: BUCKET,
  'Bucket.Arn': `arn:aws:s3:::${BUCKET}`,
  'DetectionEventsQueue.Arn': arn('sqs', 'relabel-DetectionEventsQueue-1'),
  'ReviewEventsQueue.Arn': arn('sqs', 'relabel-ReviewEventsQueue-1'),
  'ParameterEventsQueue.Arn': arn('sqs', 'relabel-ParameterEventsQueue-1'),
  OperatorTopic: arn('sns', 'relabel-OperatorTopic-1'),
  ConsumerTopic: arn('sns', 'relabel-ConsumerTopic-1'),
  'RekognitionProject.Arn': arn('rekognition', 'project/relabel-relabel/1700000000000'),
};
const statements = roleStatements(template, 'TaskRole', bindings);
/** What the services get as RELABEL_PARAMETER_PATH: the stack's ParameterPath output. */
const servicePath = String(evaluate(template.Outputs!['ParameterPath']!.Value, bindings));

/** What aws-sdk-client-mock recorded: each call's command. */
interface Recorded {
  calls(): Array<{ args: unknown[] }>;
}

/** The IAM action and resource of each call an SDK mock saw (the resource as IAM evaluates it). */
function ssmCalls(mock: Recorded): Array<[string, string]> {
  return mock.calls().map((call) => {
    const command = call.args[0] as { constructor: { name: string }; input: { Path?: string; Name?: string } };
    const name = command.input.Path ?? command.input.Name!;
    return [`ssm:${command.constructor.name.replace(/Command$/, '')}`, arn('ssm', `parameter${name}`)];
  });
}

function s3Calls(mock: Recorded): Array<[string, string]> {
  return mock.calls().flatMap((call): Array<[string, string]> => {
    const command = call.args[0] as { constructor: { name: string }; input: { Bucket: string; Key?: string; CopySource?: string } };
    const object = `arn:aws:s3:::${command.input.Bucket}/${command.input.Key}`;
    switch (command.constructor.name) {
      case 'GetObjectCommand':
      case 'HeadObjectCommand':
        return [['s3:GetObject', object]];
      case 'PutObjectCommand':
        return [['s3:PutObject', object]];
      case 'DeleteObjectCommand':
        return [['s3:DeleteObject', object]];
      case 'ListObjectsV2Command':
        return [['s3:ListBucket', `arn:aws:s3:::${command.input.Bucket}`]];
      case 'CopyObjectCommand':
        return [['s3:GetObject', `arn:aws:s3:::${decodeURIComponent(command.input.CopySource!)}`], ['s3:PutObject', object]];
      default:
        throw new Error(`no IAM mapping for ${command.constructor.name}`);
    }
  });
}

const denied = (calls: Array<[string, string]>) => calls.filter(([action, resource]) => !allows(statements, action, resource));

describe('the task role in docker/infrastructure.yaml', () => {
  it('allows every SSM call the parameter store and the operational state make, on the resources IAM checks', async () => {
    const params = fakeSsm();
    const store = createSsmParameterStore({ ssm: params.ssm, logger: silentLogger }, { pathPrefix: servicePath });
    await store.put('Minimum-F1-Score', '0.9');
    await store.getAll();
    await store.history({ name: 'Minimum-F1-Score' });
    const stateClient = new SSMClient({ region: REGION });
    const state = mockClient(stateClient);
    state.onAnyCommand().resolves({});
    const stateStore = createSsmOperationalStateStore({ client: stateClient }, { pathPrefix: servicePath });
    // the stub's empty answers fail the reads' validation; only the calls they make matter here
    await stateStore.getAll().catch(() => undefined);
    await stateStore.get('activeModelVersion').catch(() => undefined);
    await stateStore.set('activeModelVersion', 'v1').catch(() => undefined);

    const calls = [...ssmCalls(params.ssmMock), ...ssmCalls(state)];
    // GetParametersByPath is evaluated against the path itself (…:parameter/relabel), not …/relabel/*
    expect(calls).toContainEqual(['ssm:GetParametersByPath', arn('ssm', `parameter${parameterPath}`)]);
    expect(denied(calls)).toEqual([]);
    params.ssmMock.restore();
    state.restore();
  });

  it('allows every S3 call of the object store, and what Rekognition Custom Labels needs on a bucket it did not create', async () => {
    const s3 = fakeS3(BUCKET);
    const store = createS3ObjectStore({ client: s3.client }, { bucket: BUCKET });
    await store.put('images_for_detection/a b.jpg', Buffer.from('x'));
    await store.head('images_for_detection/a b.jpg');
    await store.get('images_for_detection/a b.jpg');
    await store.list('images_for_detection/');
    await store.copy('images_for_detection/a b.jpg', 'images_labeled_by_folder/cat/a b.jpg');
    await store.delete('images_for_detection/a b.jpg');
    const bucketArn = `arn:aws:s3:::${BUCKET}`;
    // Custom Labels reads the manifests and images with the caller's permissions and writes the training output
    const rekognition: Array<[string, string]> = [
      ...['s3:GetObject', 's3:GetObjectAcl', 's3:GetObjectTagging', 's3:GetObjectVersion'].map((a): [string, string] => [a, `${bucketArn}/manifests/v1/train.manifest`]),
      ['s3:PutObject', `${bucketArn}/evaluation/v1/EvaluationSummary.json`],
      ['s3:GetBucketAcl', bucketArn],
      ['s3:GetBucketLocation', bucketArn],
    ];
    expect(denied([...s3Calls(s3.mock), ...rekognition])).toEqual([]);
    s3.mock.restore();
  });

  it('allows every Rekognition call of the model service on the project and its versions', async () => {
    const s3 = fakeS3(BUCKET);
    const store = createS3ObjectStore({ client: s3.client }, { bucket: BUCKET });
    const projectArn = bindings['RekognitionProject.Arn']!;
    // trainings never finish here (the timer is unref'd); the version is marked trained by hand below
    const rek = fakeRekognition({ store, projectArn, delayMs: 60_000 });
    const service = createRekognitionModelService({ client: rek.client, store, logger: silentLogger }, { projectArn, bucket: BUCKET });
    rek.project.datasets = ['TRAIN'];
    await service.createVersion({ version: 'v1', trainManifestKey: 'manifests/v1/train.manifest', testManifestKey: 'manifests/v1/test.manifest' }).catch(() => undefined);
    rek.project.datasets = [];
    await service.createVersion({ version: 'v2', trainManifestKey: 'manifests/v2/train.manifest', testManifestKey: 'manifests/v2/test.manifest' });
    rek.versions.get('v2')!.d.Status = 'TRAINING_COMPLETED';
    const [v2] = await service.describeVersions(['v2']);
    await service.startVersion('v2', 1);
    rek.versions.get('v2')!.d.Status = 'RUNNING';
    await service.detect('v2', { key: 'images_for_detection/a.jpg' }).catch(() => undefined);
    await service.stopVersion('v2');
    expect(v2).toBeDefined();
    const calls = rek.mock.calls().map((call): [string, string] => {
      const command = call.args[0] as { constructor: { name: string }; input: { ProjectArn?: string; ProjectVersionArn?: string } };
      const action = `rekognition:${command.constructor.name.replace(/Command$/, '')}`;
      return [action, command.input.ProjectVersionArn ?? command.input.ProjectArn ?? '*'];
    });
    expect(calls.map(([a]) => a)).toEqual(expect.arrayContaining(['rekognition:DescribeProjects', 'rekognition:StartProjectVersion', 'rekognition:StopProjectVersion', 'rekognition:DetectCustomLabels']));
    expect(denied(calls)).toEqual([]);
    rek.mock.restore();
    s3.mock.restore();
  });

  it('allows the SQS calls of the event inbox on each event queue and the SNS publishes on both topics', async () => {
    const queues = ['DetectionEventsQueue', 'ReviewEventsQueue'];
    const calls: Array<[string, string]> = [];
    for (const queue of queues) {
      const name = bindings[`${queue}.Arn`]!.split(':').pop()!;
      const sqs = fakeSqs({ visibilityMs: 1000, longPollMs: 10 });
      const inbox = createSqsEventInbox({ client: sqs.client, logger: silentLogger }, { queueUrl: `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/${name}`, waitTimeSeconds: 1 });
      sqs.send(JSON.stringify({ Service: 'Amazon S3', Event: 's3:TestEvent', Bucket: BUCKET }));
      await inbox.start(async () => undefined);
      // the test event is received and deleted
      while (sqs.messages.length > 0) await new Promise((r) => setTimeout(r, 5));
      await inbox.stop();
      calls.push(
        ...sqs.mock.calls().map((call): [string, string] => {
          const command = call.args[0] as { constructor: { name: string }; input: { QueueUrl: string } };
          const [, region, account, queueName] = /^https:\/\/sqs\.([^.]+)\.amazonaws\.com\/(\d+)\/(.+)$/.exec(command.input.QueueUrl)!;
          return [`sqs:${command.constructor.name.replace(/Command$/, '')}`, `arn:aws:sqs:${region}:${account}:${queueName}`];
        }),
      );
      sqs.mock.restore();
    }
    expect(calls.map(([a]) => a)).toEqual(expect.arrayContaining(['sqs:ReceiveMessage', 'sqs:DeleteMessage']));
    const snsClient = new SNSClient({ region: REGION });
    const sns = mockClient(snsClient);
    sns.on(PublishCommand).resolves({ MessageId: 'm' });
    const notifier = createSnsNotifier({ client: snsClient, logger: silentLogger }, { operatorTopicArn: bindings['OperatorTopic'], consumerTopicArn: bindings['ConsumerTopic'] });
    await notifier.notify({ channel: 'operator', type: 'training.deployed', subject: 'v1', data: {} });
    await notifier.notify({ channel: 'consumer', type: 'detection.completed', subject: 'a.jpg', data: {} });
    calls.push(...sns.commandCalls(PublishCommand).map((c): [string, string] => ['sns:Publish', c.args[0].input.TopicArn!]));
    expect(calls.filter(([a]) => a === 'sns:Publish')).toHaveLength(2);
    expect(denied(calls)).toEqual([]);
    sns.restore();
  });

  it('creates the operator parameters the services read, with their defaults, under the path it grants', () => {
    const created = Object.values(template.Resources)
      .filter((r) => r.Type === 'AWS::SSM::Parameter')
      .map((r) => [String(evaluate(r.Properties!['Name'], bindings)), r.Properties!['Value']]);
    expect(created.sort()).toEqual(PARAMETER_NAMES.map((n) => [`${servicePath}${n}`, String(PARAMETER_SPECS[n].default)]).sort());
  });
});
