import { decodeS3Key, normalizeS3Message } from './s3-event-normalizer';

/** Shaped like the documented S3 event notification (event structure version 2.1). */
const s3Notification = (key: string, eventName = 'ObjectCreated:Put') => ({
  Records: [
    {
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      awsRegion: 'eu-west-1',
      eventTime: '2026-11-24T22:13:01.123Z',
      eventName,
      userIdentity: { principalId: 'AWS:AIDAEXAMPLE' },
      s3: {
        s3SchemaVersion: '1.0',
        configurationId: 'detect',
        bucket: { name: 'relabel-bucket', arn: 'arn:aws:s3:::relabel-bucket' },
        object: { key, size: 1024, eTag: 'd41d8cd98f00b204e9800998ecf8427e', versionId: 'v1', sequencer: '0055AED6DCD90281E5' },
      },
    },
  ],
});

const sns = (message: unknown) => ({
  Type: 'Notification',
  MessageId: '22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324',
  TopicArn: 'arn:aws:sns:eu-west-1:123456789012:uploads',
  Subject: 'Amazon S3 Notification',
  Message: JSON.stringify(message),
  Timestamp: '2026-11-24T22:13:02.000Z',
});

const eventBridge = (detailType = 'Object Created') => ({
  version: '0',
  id: '17793124-05d4-b198-2fde-7ededc63b103',
  'detail-type': detailType,
  source: 'aws.s3',
  account: '123456789012',
  time: '2026-11-24T22:13:03Z',
  region: 'eu-west-1',
  resources: ['arn:aws:s3:::relabel-bucket'],
  detail: {
    version: '0',
    bucket: { name: 'relabel-bucket' },
    object: { key: 'images_for_detection/a cat+1.jpg', size: 5, etag: 'b1946ac92492d2347c6235b4d2611184', sequencer: '00617F08299329D189' },
    'request-id': 'N4N7GDK58NMKJ12R',
    requester: '123456789012',
    reason: 'PutObject',
  },
});

describe('S3 event normalisation', () => {
  it('decodes form-encoded keys: + is a space, %2B a plus', () => {
    expect(decodeS3Key('images_for_detection/a+cat%2B1+%C3%A9.jpg')).toBe('images_for_detection/a cat+1 é.jpg');
  });

  it('reads a direct S3 notification', () => {
    const out = normalizeS3Message(JSON.stringify(s3Notification('images_for_detection/red+flower.jpg')));
    expect(out).toEqual({
      events: [
        {
          bucket: 'relabel-bucket',
          key: 'images_for_detection/red flower.jpg',
          size: 1024,
          eTag: 'd41d8cd98f00b204e9800998ecf8427e',
          versionId: 'v1',
          sequencer: '0055AED6DCD90281E5',
          eventTime: '2026-11-24T22:13:01.123Z',
        },
      ],
      ignored: [],
      malformed: [],
    });
  });

  it('reads the same notification wrapped in SNS', () => {
    const out = normalizeS3Message(JSON.stringify(sns(s3Notification('a2i-human-loop-data/f/output.json', 'ObjectCreated:CompleteMultipartUpload'))));
    expect(out.events.map((e) => e.key)).toEqual(['a2i-human-loop-data/f/output.json']);
  });

  it('reads an EventBridge Object Created event (key not encoded)', () => {
    const out = normalizeS3Message(JSON.stringify(eventBridge()));
    expect(out.events).toEqual([
      { bucket: 'relabel-bucket', key: 'images_for_detection/a cat+1.jpg', size: 5, eTag: 'b1946ac92492d2347c6235b4d2611184', sequencer: '00617F08299329D189', eventTime: '2026-11-24T22:13:03Z' },
    ]);
  });

  it('ignores s3:TestEvent (direct or in SNS), deletions and other EventBridge types', () => {
    const test = { Service: 'Amazon S3', Event: 's3:TestEvent', Time: '2026-11-24T22:00:00.000Z', Bucket: 'relabel-bucket', RequestId: 'X', HostId: 'Y' };
    expect(normalizeS3Message(JSON.stringify(test))).toEqual({ events: [], ignored: ['s3:TestEvent'], malformed: [] });
    expect(normalizeS3Message(JSON.stringify(sns(test))).ignored).toEqual(['s3:TestEvent']);
    expect(normalizeS3Message(JSON.stringify(s3Notification('a.jpg', 'ObjectRemoved:Delete'))).ignored).toEqual(['ObjectRemoved:Delete']);
    expect(normalizeS3Message(JSON.stringify(eventBridge('Object Deleted'))).ignored).toEqual(['EventBridge Object Deleted']);
  });

  it.each([
    ['not JSON', '{"Records": ['],
    ['a JSON array', '[]'],
    ['an unknown shape', '{"hello":"world"}'],
    ['SNS with a non-JSON Message', JSON.stringify({ Type: 'Notification', Message: 'plain text' })],
    ['a record with a broken key encoding', JSON.stringify(s3Notification('images/%E0%A4%A.jpg'))],
    ['a record without eTag', JSON.stringify({ Records: [{ eventName: 'ObjectCreated:Put', eventTime: '2026-11-24T22:13:01Z', s3: { bucket: { name: 'b' }, object: { key: 'a', size: 1 } } }] })],
    ['a record with a bad eventTime', JSON.stringify({ Records: [{ eventName: 'ObjectCreated:Put', eventTime: 'noon', s3: { bucket: { name: 'b' }, object: { key: 'a', size: 1, eTag: 'x' } } }] })],
  ])('reports %s as malformed, with no events', (_what, body) => {
    const out = normalizeS3Message(body);
    expect(out.events).toEqual([]);
    expect(out.malformed.length).toBeGreaterThan(0);
  });
});
