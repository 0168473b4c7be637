import { randomUUID } from 'crypto';
import type { Image } from '@aws-sdk/client-rekognition';
import { RelabelError } from '@relabel/contracts';
import type { ImageInput, ObjectStore } from '@relabel/ports';

/** DetectCustomLabels takes at most 4 MB as raw bytes; larger images must be read from S3 (up to 15 MB). */
export const MAX_IMAGE_BYTES_INLINE = 4 * 1024 * 1024;
const STAGING_PREFIX = 'detect-staging/';

/** JPEG or PNG by their signature; the service decodes, this only refuses what it would reject anyway. */
export function imageExtension(bytes: Buffer): 'jpg' | 'png' {
  if (bytes.length === 0) throw new RelabelError('IMAGE_EMPTY');
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpg';
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  throw new RelabelError('IMAGE_UNSUPPORTED_TYPE');
}

/**
 * The Image to send, and what to clean up afterwards: inline bytes when they fit, otherwise the
 * bytes are staged under `detect-staging/` (a unique key, deleted after the call) so images up to
 * the detector's limit still work.
 */
export async function rekognitionImage(image: ImageInput, store: ObjectStore): Promise<{ image: Image; cleanup(): Promise<void> }> {
  const none = async () => undefined;
  if ('key' in image) return { image: { S3Object: { Bucket: store.bucket, Name: image.key } }, cleanup: none };
  const ext = imageExtension(image.bytes);
  if (image.bytes.length <= MAX_IMAGE_BYTES_INLINE) return { image: { Bytes: image.bytes }, cleanup: none };
  const key = `${STAGING_PREFIX}${randomUUID()}.${ext}`;
  await store.put(key, image.bytes, { contentType: ext === 'png' ? 'image/png' : 'image/jpeg' });
  return { image: { S3Object: { Bucket: store.bucket, Name: key } }, cleanup: () => store.delete(key).catch(() => undefined) };
}
