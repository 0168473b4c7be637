import { DeleteMessageCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import type { ObjectCreated } from '@relabel/contracts';
import { silentLogger, type Logger } from '@relabel/ports';
import { describeEventInboxConformance } from '@relabel/ports/testing';
import { fakeSqs } from './fake-sqs.test-support';
import { md5Hex, notificationBody, NOTIFICATION_SHAPES } from '../testing/s3-notification.test-support';
import { createSqsEventInbox } from './sqs-event-inbox';

jest.setTimeout(20_000);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
describeEventInboxConformance('SQS (aws-sdk-client-mock)', async () => {
  const sqs = fakeSqs({ visibilityMs: 300 });
  let style = 0;
  return {
    bucket: 'relabel-bucket',
    prefix: 'images_for_detection/',
    makeInbox: () => createSqsEventInbox({ client: sqs.client, logger: silentLogger }, { queueUrl: 'https://sqs.eu-west-1.amazonaws.com/1/q', waitTimeSeconds: 20 }),
    createObject: async (key, body) => sqs.send(notificationBody(NOTIFICATION_SHAPES[style++ % 3]!, { bucket: 'relabel-bucket', key, size: body.length, eTag: md5Hex(body) })),
    quietMs: 400,
    cleanup: async () => void sqs.mock.restore(),
  };
});

function recordingLogger() {
  const lines: { level: string; msg?: string; obj: object | string }[] = [];
  const logger: Logger = {
    debug: (obj, msg) => void lines.push({ level: 'debug', obj, msg }),
    info: (obj, msg) => void lines.push({ level: 'info', obj, msg }),
    warn: (obj, msg) => void lines.push({ level: 'warn', obj, msg }),
    error: (obj, msg) => void lines.push({ level: 'error', obj, msg }),
    child: () => logger,
  };
  return { logger, lines };
}

describe('SQS event inbox specifics', () => {
  const queueUrl = 'https://sqs.eu-west-1.amazonaws.com/1/q';

  it('long-polls with the configured wait, 10 messages at a time', async () => {
    const sqs = fakeSqs({ visibilityMs: 300 });
    const inbox = createSqsEventInbox({ client: sqs.client, logger: silentLogger }, { queueUrl, waitTimeSeconds: 7 });
    await inbox.start(async () => undefined);
    await sleep(30);
    await inbox.stop();
    expect(sqs.mock.commandCalls(ReceiveMessageCommand)[0]?.args[0].input).toEqual({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 7 });
    sqs.mock.restore();
  });

  it('drops malformed messages and s3:TestEvent with a log line, without calling the handler', async () => {
    const sqs = fakeSqs({ visibilityMs: 100 });
    const { logger, lines } = recordingLogger();
    const events: ObjectCreated[] = [];
    sqs.send('this is not json');
    sqs.send(JSON.stringify({ Service: 'Amazon S3', Event: 's3:TestEvent', Bucket: 'b' }));
    sqs.send(JSON.stringify({ Records: [{ eventName: 'ObjectCreated:Put', s3: { bucket: { name: 'b' }, object: { key: 'a.jpg' } } }] }));
    const inbox = createSqsEventInbox({ client: sqs.client, logger }, { queueUrl, waitTimeSeconds: 1 });
    await inbox.start(async (e) => void events.push(e));
    const deadline = Date.now() + 3000;
    while (sqs.messages.length > 0 && Date.now() < deadline) await sleep(10);
    await inbox.stop();
    expect(sqs.messages).toEqual([]);
    expect(events).toEqual([]);
    expect(lines.filter((l) => l.level === 'warn' && l.msg?.includes('malformed'))).toHaveLength(2);
    expect(sqs.mock.commandCalls(DeleteMessageCommand)).toHaveLength(3);
    sqs.mock.restore();
  });

  it('keeps a message whose handler failed until a later delivery succeeds', async () => {
    const sqs = fakeSqs({ visibilityMs: 150 });
    const { logger, lines } = recordingLogger();
    sqs.send(notificationBody('direct', { bucket: 'b', key: 'images_for_detection/x.jpg', size: 1, eTag: md5Hex(Buffer.from('x')) }));
    let calls = 0;
    const inbox = createSqsEventInbox({ client: sqs.client, logger }, { queueUrl, waitTimeSeconds: 1 });
    await inbox.start(async () => {
      calls += 1;
      if (calls < 3) throw new Error('redis down');
    });
    const deadline = Date.now() + 5000;
    while (sqs.messages.length > 0 && Date.now() < deadline) await sleep(10);
    await inbox.stop();
    expect(calls).toBe(3);
    expect(sqs.messages).toEqual([]);
    expect(lines.filter((l) => l.level === 'warn' && l.msg?.includes('handler failed'))).toHaveLength(2);
    sqs.mock.restore();
  });

  it('backs off when SQS cannot be reached instead of spinning, and stops for good', async () => {
    const sqs = fakeSqs({ visibilityMs: 100 });
    sqs.mock.on(ReceiveMessageCommand).rejects(Object.assign(new Error('getaddrinfo ENOTFOUND sqs'), { name: 'Error' }));
    const inbox = createSqsEventInbox({ client: sqs.client, logger: silentLogger }, { queueUrl, waitTimeSeconds: 1 });
    await inbox.start(async () => undefined);
    await sleep(1000);
    await inbox.stop();
    const calls = sqs.mock.commandCalls(ReceiveMessageCommand).length;
    expect(calls).toBeGreaterThanOrEqual(1);
    expect(calls).toBeLessThanOrEqual(3);
    await sleep(600);
    expect(sqs.mock.commandCalls(ReceiveMessageCommand)).toHaveLength(calls);
    sqs.mock.restore();
  });
});
