import { createHash } from 'crypto';

/**
 * The human loop name of an image's content: a hash of its bytes, nothing of its key. The same
 * bytes — posted again, dropped under another name, replayed by an event — ask for the same
 * (idempotent) loop, so reviewers never see one image twice (apps/detector/README.md, "How it works"); different content gets a
 * loop of its own. A2I-valid, 46 characters.
 */
export function humanLoopNameFor(content: Buffer): string {
  return `image-${createHash('sha256').update(content).digest('hex').slice(0, 40)}`;
}
