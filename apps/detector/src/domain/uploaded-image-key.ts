import { randomUUID } from 'crypto';
import { PREFIX } from '@relabel/contracts';

const UPLOADED = new RegExp(`^${PREFIX.forDetection}api-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\.(jpg|png)$`);

/** Where POST /detect stores an uploaded image: `images_for_detection/api-<uuid>.<ext>`, a fresh key each time. */
export function uploadedImageKey(extension: '.jpg' | '.png'): string {
  return `${PREFIX.forDetection}api-${randomUUID()}${extension}`;
}

/**
 * Whether a key is one POST /detect stored, and so detected already: its object-created event is
 * skipped by the inbox. Only the exact shape matches (a random UUID), so no file copied in by hand
 * is mistaken for one; an upload the request could not finish is still found by the reconcile.
 */
export function isUploadedImageKey(key: string): boolean {
  return UPLOADED.test(key);
}
