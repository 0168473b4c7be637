import { parentPort, workerData } from 'node:worker_threads';
import { cachedKeypoints } from './keypoint-cache';
import type { Keypoints } from './keypoints';
import { markAgreement, type MarkBank } from './mark-check';
import { trainMarkBanks } from './mark-training';
import type { MarkRequest } from './mark-matcher';

/**
 * Training's second thread for the mark check (mark-matcher.ts): builds the banks while the main
 * training thread cross-validates, then matches its share of the checks.
 */
const port = parentPort;
if (!port) throw new Error('mark.worker must run in a worker thread');
const keypointsOf = cachedKeypoints((workerData as { keypointsDir?: string }).keypointsDir);
let banks: MarkBank[] = [];
let banked: Keypoints[] = [];

port.on('message', async (message: MarkRequest) => {
  try {
    if ('train' in message) {
      const { images, labels } = message.train;
      const marks = await trainMarkBanks(images, labels, keypointsOf, (done, total) => port.postMessage({ id: message.id, progress: { done, total } }));
      banks = marks.banks;
      // By position in `images`; null where an image could not be read (left out of its bank).
      const keypoints = images.map((image) => marks.keypoints.get(image) ?? null);
      banked = keypoints.map((k) => k ?? { count: 0, xy: new Float32Array(0), descriptors: new Uint8Array(0) });
      port.postMessage({
        id: message.id,
        trained: { banks, keypoints, slots: images.map((image) => marks.slot.get(image) ?? null), own: images.map((image) => marks.ownAgreement.get(image) ?? null) },
      });
    } else {
      const { bytes, banked: index, top, leaveOut } = message.check;
      const keypoints = index !== undefined ? banked[index]! : await keypointsOf(Buffer.from(bytes!.buffer, bytes!.byteOffset, bytes!.byteLength));
      port.postMessage({ id: message.id, agreement: markAgreement(keypoints, banks[top]!, leaveOut) });
    }
  } catch (err) {
    port.postMessage({ id: message.id, error: err instanceof Error ? err.message : String(err) });
  }
});
