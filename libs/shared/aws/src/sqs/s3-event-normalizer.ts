import { describeErrors, isValid, ObjectCreatedSchema, type ObjectCreated } from '@relabel/contracts';

/** What one SQS message body means: events to deliver, things to skip quietly, and things broken. */
export interface NormalizedMessage {
  events: ObjectCreated[];
  ignored: string[];
  malformed: string[];
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

/** S3 notifications URL-encode keys form-style: `+` is a space, `%2B` a plus. */
export function decodeS3Key(key: string): string {
  return decodeURIComponent(key.replace(/\+/g, '%20'));
}

function event(fields: { bucket?: string; key?: string; size?: number; eTag?: string; versionId?: string; sequencer?: string; eventTime?: string }): ObjectCreated | string {
  const candidate: Json = {
    bucket: fields.bucket,
    key: fields.key,
    size: fields.size,
    eTag: fields.eTag?.replace(/^"|"$/g, ''),
    eventTime: fields.eventTime,
  };
  if (fields.versionId) candidate.versionId = fields.versionId;
  if (fields.sequencer) candidate.sequencer = fields.sequencer;
  return isValid(ObjectCreatedSchema, candidate) ? candidate : `invalid ObjectCreated (${describeErrors(ObjectCreatedSchema, candidate)})`;
}

function fromS3Records(records: unknown[], out: NormalizedMessage): void {
  for (const record of records) {
    const name = isObject(record) ? str(record.eventName) : undefined;
    if (!isObject(record) || !name || !isObject(record.s3)) {
      out.malformed.push('S3 record without eventName/s3');
      continue;
    }
    if (!name.startsWith('ObjectCreated:')) {
      out.ignored.push(name);
      continue;
    }
    const s3 = record.s3;
    const object = isObject(s3.object) ? s3.object : {};
    let key: string | undefined;
    try {
      key = str(object.key) === undefined ? undefined : decodeS3Key(str(object.key)!);
    } catch {
      out.malformed.push('S3 record key is not URL-encoded text');
      continue;
    }
    const bucket = isObject(s3.bucket) ? str(s3.bucket.name) : undefined;
    const e = event({ bucket, key, size: num(object.size), eTag: str(object.eTag), versionId: str(object.versionId), sequencer: str(object.sequencer), eventTime: str(record.eventTime) });
    if (typeof e === 'string') out.malformed.push(e);
    else out.events.push(e);
  }
}

function fromEventBridge(body: Json, out: NormalizedMessage): void {
  if (body['detail-type'] !== 'Object Created') {
    out.ignored.push(`EventBridge ${String(body['detail-type'])}`);
    return;
  }
  const detail = isObject(body.detail) ? body.detail : {};
  const object = isObject(detail.object) ? detail.object : {};
  const bucket = isObject(detail.bucket) ? str(detail.bucket.name) : undefined;
  const e = event({ bucket, key: str(object.key), size: num(object.size), eTag: str(object.etag), versionId: str(object['version-id']), sequencer: str(object.sequencer), eventTime: str(body.time) });
  if (typeof e === 'string') out.malformed.push(e);
  else out.events.push(e);
}

function interpret(body: unknown, out: NormalizedMessage, depth: number): void {
  if (!isObject(body)) {
    out.malformed.push('not a JSON object');
    return;
  }
  if (body.Type === 'Notification' && typeof body.Message === 'string' && depth === 0) {
    let inner: unknown;
    try {
      inner = JSON.parse(body.Message);
    } catch {
      out.malformed.push('SNS Message is not JSON');
      return;
    }
    interpret(inner, out, depth + 1);
  } else if (body.Event === 's3:TestEvent') out.ignored.push('s3:TestEvent');
  else if (Array.isArray(body.Records)) fromS3Records(body.Records, out);
  else if (body.source === 'aws.s3' && 'detail-type' in body) fromEventBridge(body, out);
  else out.malformed.push('neither an S3 notification, an SNS envelope nor an EventBridge S3 event');
}

/**
 * Understands an SQS message body as it arrives from AWS (libs/shared/aws/README.md, "SQS event inbox"): an S3 event notification sent
 * directly, the same inside an SNS envelope (`Type: Notification`, `Message` a JSON string), or an
 * EventBridge `Object Created` event (key not encoded). `s3:TestEvent` and non-create events are
 * ignored; anything else is malformed. Events are validated against the ObjectCreated schema.
 */
export function normalizeS3Message(body: string): NormalizedMessage {
  const out: NormalizedMessage = { events: [], ignored: [], malformed: [] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    out.malformed.push('body is not JSON');
    return out;
  }
  interpret(parsed, out, 0);
  return out;
}
