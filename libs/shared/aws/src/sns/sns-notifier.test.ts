import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { silentLogger, type Logger } from '@relabel/ports';
import { describeNotifierConformance } from '@relabel/ports/testing';
import { mockClient } from 'aws-sdk-client-mock';
import { createSnsNotifier, snsSubject } from './sns-notifier.adapter';

const OPERATOR = 'arn:aws:sns:eu-west-1:123456789012:relabel-operator';
const CONSUMER = 'arn:aws:sns:eu-west-1:123456789012:relabel-consumer';

function fakeSns() {
  const client = new SNSClient({ region: 'eu-west-1' });
  const mock = mockClient(client);
  let id = 0;
  mock.on(PublishCommand).callsFake(async () => ({ MessageId: `m-${++id}` }));
  const published = () => mock.commandCalls(PublishCommand).map((c) => c.args[0].input);
  return { client, mock, published };
}

function recordingLogger() {
  const warnings: Array<{ obj: unknown; msg?: string }> = [];
  const logger: Logger = { ...silentLogger, warn: (obj, msg) => void warnings.push({ obj, msg }), child: () => logger };
  return { logger, warnings };
}

describeNotifierConformance('SNS (aws-sdk-client-mock)', async () => {
  const sns = fakeSns();
  const notifier = createSnsNotifier({ client: sns.client, logger: silentLogger }, { operatorTopicArn: OPERATOR, consumerTopicArn: CONSUMER });
  return {
    notifier,
    // what reached the topics: the JSON message of every Publish, checked against its topic
    received: async () =>
      sns.published().map((input) => {
        const body = JSON.parse(input.Message!);
        expect(input.TopicArn).toBe(body.channel === 'operator' ? OPERATOR : CONSUMER);
        return body;
      }),
    cleanup: async () => void sns.mock.restore(),
  };
});

describe('SNS notifier specifics', () => {
  let sns: ReturnType<typeof fakeSns>;
  beforeEach(() => {
    sns = fakeSns();
  });
  afterEach(() => sns.mock.restore());

  it('publishes a valid Subject, the JSON message and filterable type/channel attributes', async () => {
    const notifier = createSnsNotifier({ client: sns.client, logger: silentLogger }, { operatorTopicArn: OPERATOR });
    await notifier.notify({ channel: 'operator', type: 'training.rejected', subject: `v3 rejected:\nF1 0.61 < 0.8 ${'x'.repeat(200)}`, data: { f1: 0.61 } });
    const [input] = sns.published();
    expect(input!.Subject!.length).toBe(99);
    expect(input!.Subject).toMatch(/^v3 rejected: F1 0\.61 < 0\.8 x+\.\.\.$/);
    expect(input!.MessageAttributes).toEqual({
      type: { DataType: 'String', StringValue: 'training.rejected' },
      channel: { DataType: 'String', StringValue: 'operator' },
    });
    expect(JSON.parse(input!.Message!)).toMatchObject({ type: 'training.rejected', data: { f1: 0.61 }, sentAt: expect.any(String) });
    expect(input!.MessageGroupId).toBeUndefined();
  });

  it('keeps SNS-valid subjects: ASCII only, never empty', () => {
    expect(snsSubject('Modèle déployé ✓', 'x')).toBe('Mod le d ploy');
    expect(snsSubject('\n\t', 'training.failed')).toBe('training.failed');
  });

  it('logs without publishing when the channel has no topic', async () => {
    const notifier = createSnsNotifier({ client: sns.client, logger: silentLogger }, { operatorTopicArn: OPERATOR });
    await notifier.notify({ channel: 'consumer', type: 'detection.completed', subject: 'a.jpg', data: {} });
    expect(sns.published()).toHaveLength(0);
  });

  it('sets the group and dedupe id on a FIFO topic', async () => {
    const notifier = createSnsNotifier({ client: sns.client, logger: silentLogger }, { operatorTopicArn: `${OPERATOR}.fifo` });
    await notifier.notify({ channel: 'operator', type: 'training.deployed', subject: 'v2', data: {}, dedupeId: 'deploy-v2' });
    expect(sns.published()[0]).toMatchObject({ MessageGroupId: 'training.deployed', MessageDeduplicationId: 'deploy-v2' });
  });

  it('hashes a dedupe id SNS would refuse (an operator value with spaces or non-ASCII), stably', async () => {
    const notifier = createSnsNotifier({ client: sns.client, logger: silentLogger }, { operatorTopicArn: `${OPERATOR}.fifo` });
    const n = { channel: 'operator' as const, type: 'parameter.invalid', subject: 'bad', data: {}, dedupeId: 'parameter-invalid:Minimum-F1-Score:ninety percent é' };
    await notifier.notify(n);
    await notifier.notify(n);
    const [first, second] = sns.published().map((p) => p.MessageDeduplicationId!);
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(second).toBe(first);
    await notifier.notify({ ...n, dedupeId: 'x'.repeat(129) });
    expect(sns.published()[2]!.MessageDeduplicationId).toMatch(/^[0-9a-f]{64}$/);
  });

  it('logs and swallows a failed publish (best-effort)', async () => {
    sns.mock.on(PublishCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottledException', $metadata: { httpStatusCode: 400 } }));
    const { logger, warnings } = recordingLogger();
    const notifier = createSnsNotifier({ client: sns.client, logger }, { operatorTopicArn: OPERATOR });
    await expect(notifier.notify({ channel: 'operator', type: 'training.failed', subject: 'v4 failed', data: {} })).resolves.toBeUndefined();
    expect(warnings).toEqual([expect.objectContaining({ obj: expect.objectContaining({ errName: 'ThrottledException', type: 'training.failed' }) })]);
  });

  it('stops waiting for a publish that hangs past the timeout', async () => {
    sns.mock.on(PublishCommand).callsFake(() => new Promise(() => undefined));
    const { logger, warnings } = recordingLogger();
    const notifier = createSnsNotifier({ client: sns.client, logger }, { consumerTopicArn: CONSUMER, timeoutMs: 50 });
    await expect(notifier.notify({ channel: 'consumer', type: 'detection.completed', subject: 'a.jpg', data: {} })).resolves.toBeUndefined();
    expect(warnings).toEqual([expect.objectContaining({ obj: expect.objectContaining({ errName: 'TimeoutError', timedOut: true }) })]);
  });
});
