import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { contentHash, writeAtomically } from './disk-cache';
import { decodeKeypoints, detectKeypoints, encodeKeypoints, greyOf, KEYPOINTS_VERSION, type Keypoints } from './keypoints';
import { INPUT_SIZE, letterbox } from './preprocess';

export type KeypointsOf = (bytes: Buffer) => Promise<Keypoints>;

/**
 * Keypoints of an image's frame (for the mark check, mark-check.ts), kept in `dir` by content hash
 * when a directory is given, so a retrain computes them for new images only. Training's threads
 * share the directory (training-helper.worker.ts).
 */
export function cachedKeypoints(dir?: string): KeypointsOf {
  return async (bytes) => {
    const file = dir && join(dir, `${contentHash(bytes)}-${INPUT_SIZE}-v${KEYPOINTS_VERSION}.kp`);
    if (file) {
      try {
        return decodeKeypoints(await readFile(file));
      } catch {
        // not cached yet (or unreadable): computed below
      }
    }
    const keypoints = detectKeypoints(greyOf(await letterbox(bytes), INPUT_SIZE, INPUT_SIZE));
    if (file) await writeAtomically(file, encodeKeypoints(keypoints));
    return keypoints;
  };
}
