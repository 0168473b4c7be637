import { PREFIX } from '@relabel/contracts';

/**
 * A detection's public id is the image's key relative to `images_for_detection/`, base64url-encoded:
 * opaque to clients, yet it leads straight to `detection_results/<key>.json` without an index that
 * could be lost or drift.
 */
export function detectionIdFor(imageKey: string): string {
  const rel = imageKey.startsWith(PREFIX.forDetection) ? imageKey.slice(PREFIX.forDetection.length) : imageKey;
  return Buffer.from(rel, 'utf8').toString('base64url');
}

// eslint-disable-next-line no-control-regex -- refusing control characters is the point
const SAFE_SEGMENT = /^(?!\.{1,2}$)[^\u0000-\u001f\\]+$/;

/** The image key behind an id, or null when the id is not one we could have issued. */
export function imageKeyForDetectionId(id: string): string | null {
  if (!/^[A-Za-z0-9_-]{1,1400}$/.test(id)) return null;
  const rel = Buffer.from(id, 'base64url').toString('utf8');
  if (!rel || rel.length > 1000 || Buffer.from(rel, 'utf8').toString('base64url') !== id) return null;
  if (!rel.split('/').every((segment) => SAFE_SEGMENT.test(segment))) return null;
  return `${PREFIX.forDetection}${rel}`;
}
