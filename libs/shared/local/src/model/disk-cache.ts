import { createHash, randomUUID } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** The key of an image's cached embeddings and keypoints: a hash of its bytes. */
export const contentHash = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** Writes a cache file so that no reader (another thread or process) ever sees half of it. */
export async function writeAtomically(file: string, data: Uint8Array): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  // Unique per write: the same image may be cached twice at once (duplicates in a training set).
  const tmp = `${file}.${process.pid}.${randomUUID()}.tmp`;
  await writeFile(tmp, data);
  await rename(tmp, file);
}
