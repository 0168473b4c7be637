import { randomBytes } from 'crypto';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { ObjectCreated } from '@relabel/contracts';
import { silentLogger } from '@relabel/ports';
import { describeEventInboxConformance } from '@relabel/ports/testing';
import { startWireAws, type WireAws } from '../testing/wire-aws';
import { md5Hex } from '../testing/s3-notification.test-support';
import { createSqsEventInbox } from './sqs-event-inbox';

jest.setTimeout(30_000);

// The SQS inbox through the real SDK client against fauxqs: objects are really put in S3 and their
// notifications reach the queue in the three shapes AWS uses, in turn.
let wire: WireAws;
beforeAll(async () => {
  wire = await startWireAws();
});
afterAll(() => wire.stop());

const unique = (name: string) => `${name}-${randomBytes(4).toString('hex')}`;

function wiredBucket(prefix: string) {
  const bucket = unique('relabel');
  wire.bucket(bucket);
  // a 1 s visibility timeout, so a failed handler's message comes back quickly
  const queueUrl = wire.queue(unique('events'), { VisibilityTimeout: '1' });
  wire.notifyObjectsCreated(bucket, [{ prefix, queueUrl }]);
  const put = (key: string, body: Buffer) => wire.clients.s3().send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
  const makeInbox = () => createSqsEventInbox({ client: wire.clients.sqs(), logger: silentLogger }, { queueUrl, waitTimeSeconds: 1 });
  return { bucket, queueUrl, put, makeInbox };
}

describeEventInboxConformance('SQS (fauxqs on the wire)', async () => {
  const prefix = 'images_for_detection/';
  const w = wiredBucket(prefix);
  return {
    bucket: w.bucket,
    prefix,
    makeInbox: w.makeInbox,
    createObject: async (key, body) => void (await w.put(key, body)),
    quietMs: 400,
    cleanup: async () => wire.server.emptyBucket(w.bucket),
  };
});

describe('SQS inbox on the wire', () => {
  it('decodes URL-encoded keys in every notification shape', async () => {
    const w = wiredBucket('images_for_detection/');
    const keys = ['images_for_detection/a cat+1 é.jpg', 'images_for_detection/50% off & (x).png', 'images_for_detection/dir/ü ñ+.jpg'];
    const before = { ...wire.announced };
    const events: ObjectCreated[] = [];
    const inbox = w.makeInbox();
    await inbox.start(async (e) => void events.push(e));
    for (const [i, key] of keys.entries()) await w.put(key, Buffer.from(`body ${i}`));
    const deadline = Date.now() + 15_000;
    while (events.length < keys.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await inbox.stop();
    expect(events.map((e) => e.key).sort()).toEqual([...keys].sort());
    for (const e of events) expect(e).toMatchObject({ bucket: w.bucket, eTag: md5Hex(Buffer.from(`body ${keys.indexOf(e.key)}`)) });
    // one object per shape: direct, SNS-wrapped, EventBridge
    expect({ direct: wire.announced.direct - before.direct, sns: wire.announced.sns - before.sns, eventbridge: wire.announced.eventbridge - before.eventbridge }).toEqual({ direct: 1, sns: 1, eventbridge: 1 });
  });
});
