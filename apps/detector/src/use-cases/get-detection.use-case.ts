import { RelabelError } from '@relabel/contracts';
import type { HumanLoopAnswer, HumanLoopStatus, HumanReview, Logger, ObjectStore } from '@relabel/ports';
import { imageKeyForDetectionId } from '../domain/detection-id';
import { DetectionView, readDetectionRecord, toView } from '../domain/detection-record';

export interface DetectionWithReview extends Omit<DetectionView, 'humanLoop'> {
  humanLoop: { name: string; status?: HumanLoopStatus; answer?: HumanLoopAnswer } | null;
}

/**
 * GET /detections/:id — the stored record plus, when the image went to review, the loop's state and
 * the reviewers' answer once there is one. A review service that cannot answer right now does not
 * hide the detection: the record comes back without the review part.
 */
export async function getDetection(
  deps: { store: Pick<ObjectStore, 'get'>; humanReview: Pick<HumanReview, 'describeHumanLoop'>; logger: Logger },
  id: string,
): Promise<DetectionWithReview> {
  const imageKey = imageKeyForDetectionId(id);
  const record = imageKey ? await readDetectionRecord(deps.store, imageKey) : null;
  if (!record) throw new RelabelError('DETECTION_NOT_FOUND', `no detection with id ${JSON.stringify(id.slice(0, 100))}`);
  const view = toView(record);
  if (!view.humanLoop) return { ...view, humanLoop: null };
  try {
    const loop = await deps.humanReview.describeHumanLoop(view.humanLoop.name);
    if (!loop) return view;
    return { ...view, humanLoop: { name: loop.name, status: loop.status, ...(loop.answer ? { answer: loop.answer } : {}) } };
  } catch (err) {
    deps.logger.warn({ loop: view.humanLoop.name, err: (err as Error).message }, 'cannot describe the human loop');
    return view;
  }
}
