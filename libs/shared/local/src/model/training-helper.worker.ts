import { parentPort, workerData } from 'node:worker_threads';
import { foldPredictions, type FoldProblem } from './fold-predictions';
import { cachedKeypoints } from './keypoint-cache';
import type { Keypoints } from './keypoints';
import { markAgreement, type MarkBank } from './mark-check';
import { trainMarkBanks } from './mark-training';
import type { HelperRequest } from './training-helper';

/**
 * Training's second thread (training-helper.ts): builds the mark banks while the training thread
 * embeds, then fits its share of the fold models and matches its share of the checks.
 */
const port = parentPort;
if (!port) throw new Error('training-helper.worker must run in a worker thread');
const keypointsOf = cachedKeypoints((workerData as { keypointsDir?: string }).keypointsDir);
let banks: MarkBank[] = [];
let folds: FoldProblem | undefined;
let banked: Keypoints[] = [];

port.on('message', async (message: HelperRequest) => {
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
    } else if ('folds' in message) {
      folds = message.folds;
      port.postMessage({ id: message.id });
    } else if ('fold' in message) {
      if (!folds) throw new Error('no fold problem received');
      port.postMessage({ id: message.id, heldOut: await foldPredictions(folds, message.fold) });
    } else {
      const { bytes, banked: index, top, leaveOut } = message.check;
      const keypoints = index !== undefined ? banked[index]! : await keypointsOf(Buffer.from(bytes!.buffer, bytes!.byteOffset, bytes!.byteLength));
      port.postMessage({ id: message.id, agreement: markAgreement(keypoints, banks[top]!, leaveOut) });
    }
  } catch (err) {
    port.postMessage({ id: message.id, error: err instanceof Error ? err.message : String(err) });
  }
});
