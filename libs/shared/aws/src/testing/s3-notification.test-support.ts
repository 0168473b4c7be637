import { createHash } from 'crypto';

/** S3 notifications URL-encode keys form-style (a space is `+`); EventBridge sends them plain. */
export const s3EncodeKey = (key: string) => key.split('/').map((s) => encodeURIComponent(s).replace(/%20/g, '+')).join('/');

export const md5Hex = (body: Buffer) => createHash('md5').update(body).digest('hex');

export type NotificationShape = 'direct' | 'sns' | 'eventbridge';
export const NOTIFICATION_SHAPES: NotificationShape[] = ['direct', 'sns', 'eventbridge'];

export interface CreatedObject {
  bucket: string;
  key: string;
  size: number;
  eTag: string;
}

/** The `{ Records: [...] }` document S3 sends for one ObjectCreated:Put. */
export function s3EventDocument(object: CreatedObject, time = new Date().toISOString()): string {
  const record = {
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    eventTime: time,
    eventName: 'ObjectCreated:Put',
    s3: { bucket: { name: object.bucket }, object: { key: s3EncodeKey(object.key), size: object.size, eTag: object.eTag, sequencer: '00A1' } },
  };
  return JSON.stringify({ Records: [record] });
}

/** The SQS message body of an object creation in one of the three ways S3 events reach a queue (libs/shared/aws/README.md, "SQS event inbox"). */
export function notificationBody(shape: NotificationShape, object: CreatedObject, topicArn = 'arn:aws:sns:eu-west-1:1:t'): string {
  const time = new Date().toISOString();
  if (shape === 'direct') return s3EventDocument(object, time);
  if (shape === 'sns') return JSON.stringify({ Type: 'Notification', TopicArn: topicArn, Message: s3EventDocument(object, time) });
  return JSON.stringify({
    version: '0',
    source: 'aws.s3',
    'detail-type': 'Object Created',
    time,
    detail: { bucket: { name: object.bucket }, object: { key: object.key, size: object.size, etag: object.eTag } },
  });
}
