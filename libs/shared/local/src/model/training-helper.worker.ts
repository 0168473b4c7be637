import { parentPort, workerData } from 'node:worker_threads';
import { foldPredictions, type FoldProblem } from './fold-predictions';
import { cachedKeypoints } from './keypoint-cache';
import { agreeLocally, trainMarkBanks, type Agree } from './mark-training';
import type { HelperRequest } from './training-helper';

/**
 * Training's second thread (training-helper.ts): builds the mark banks while the training thread
 * embeds, then fits its share of the fold models and matches its share of the checks.
 */
const port = parentPort;
if (!port) throw new Error('training-helper.worker must run in a worker thread');
const keypointsOf = cachedKeypoints((workerData as { keypointsDir?: string }).keypointsDir);
type Image = { key: string; label: string; bytes: Uint8Array };
/** The images of the last `train` request (checks of banked images name them by position) and their banks. */
let trained: Image[] = [];
let agree: Agree<Image> | undefined;
let folds: FoldProblem | undefined;

port.on('message', async (message: HelperRequest) => {
  try {
    if ('train' in message) {
      const { images, labels } = message.train;
      const marks = await trainMarkBanks(images, labels, keypointsOf, (done, total) => port.postMessage({ id: message.id, progress: { done, total } }));
      trained = images;
      agree = agreeLocally(marks, keypointsOf);
      // By position in `images`; null where an image could not be read (left out of its bank).
      port.postMessage({
        id: message.id,
        trained: { banks: marks.banks, keypoints: images.map((image) => marks.keypoints.get(image) ?? null), slots: images.map((image) => marks.slot.get(image) ?? null), own: images.map((image) => marks.ownAgreement.get(image) ?? null) },
      });
    } else if ('folds' in message) {
      folds = message.folds;
      port.postMessage({ id: message.id });
    } else if ('fold' in message) {
      if (!folds) throw new Error('no fold problem received');
      port.postMessage({ id: message.id, heldOut: await foldPredictions(folds, message.fold) });
    } else {
      const { bytes, banked, top, leaveOut } = message.check;
      if (!agree) throw new Error('no banks trained');
      const image = banked !== undefined ? trained[banked]! : { key: '', label: '', bytes: bytes! };
      port.postMessage({ id: message.id, agreement: await agree(image, top, leaveOut) });
    }
  } catch (err) {
    port.postMessage({ id: message.id, error: err instanceof Error ? err.message : String(err) });
  }
});
