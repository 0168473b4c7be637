import { createHash } from 'crypto';

/** A2I's rule for human loop names. */
export const HUMAN_LOOP_NAME_RE = /^[a-z0-9](-*[a-z0-9])*$/;
export const HUMAN_LOOP_NAME_MAX = 63;

/**
 * The human loop name of one image version: a readable slug of the file name plus a hash of key and
 * eTag. Deterministic, so a repeated event or a retried job asks for the same (idempotent) loop,
 * while a new version of the same key gets a loop of its own.
 */
export function humanLoopNameFor(imageKey: string, eTag: string): string {
  const file = imageKey.slice(imageKey.lastIndexOf('/') + 1).replace(/\.[^.]*$/, '');
  const slug = file
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, 30)
    .replace(/-+$/, '');
  const hash = createHash('sha256').update(`${imageKey}\u0000${eTag}`).digest('hex').slice(0, 24);
  return `${slug || 'image'}-${hash}`;
}
