import { createHash } from 'crypto';
import { Type, Static } from '@sinclair/typebox';

/**
 * The normalised object-created event every inbox (local folder scanner, SQS) delivers. `key` is
 * decoded (S3 notifications URL-encode it; `+` is a space) and `eTag` has no quotes.
 */
export const ObjectCreatedSchema = Type.Object(
  {
    bucket: Type.String({ minLength: 1 }),
    key: Type.String({ minLength: 1, maxLength: 1024 }),
    size: Type.Integer({ minimum: 0 }),
    eTag: Type.String({ minLength: 1 }),
    versionId: Type.Optional(Type.String()),
    sequencer: Type.Optional(Type.String()),
    eventTime: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: false },
);
export type ObjectCreated = Static<typeof ObjectCreatedSchema>;

/** BullMQ job ids may not contain ':'; one id per (key, content version) makes duplicates no-ops. */
export function objectCreatedJobId(event: Pick<ObjectCreated, 'key' | 'eTag' | 'versionId'>): string {
  const h = createHash('sha256').update(`${event.key}\u0000${event.eTag}\u0000${event.versionId ?? ''}`).digest('hex');
  return `oc-${h.slice(0, 40)}`;
}
