import { RelabelError, isErrorCode } from '@relabel/contracts';
import type { ModelService } from '@relabel/ports';
import type { ActiveModelSource } from '../infra/active-model';
import type { Inference } from '../domain/review-routing';

/**
 * Runs the live model on an image. Before the first deployment the answer is `no_model`, not an
 * error. If the version we hold was stopped or removed under us (a blue/green switch), the pointer
 * is re-read and the request is retried on the new version, so a switch never fails a request.
 */
export async function inferWithLiveModel(
  deps: { modelService: Pick<ModelService, 'detect'>; activeModel: ActiveModelSource },
  bytes: Buffer,
  maxResults: number,
): Promise<Inference> {
  let version = await deps.activeModel.current();
  for (let attempt = 0; ; attempt++) {
    if (version === null) return { status: 'no_model', modelVersion: null, labels: [] };
    try {
      const labels = await deps.modelService.detect(version, { bytes }, { maxResults });
      return { status: 'ok', modelVersion: version, labels: [...labels].sort((a, b) => b.confidence - a.confidence) };
    } catch (err) {
      const stale = isErrorCode(err, 'MODEL_NOT_READY') || isErrorCode(err, 'MODEL_NOT_FOUND');
      if (!stale) throw err;
      const next = await deps.activeModel.refresh();
      if (next === version || attempt >= 2) {
        // The pointer names a version that cannot serve (being started, or mid-rollback): a
        // transient state of the deployment, so the caller may retry rather than give up the image.
        throw new RelabelError('MODEL_SERVICE_UNAVAILABLE', `the live model version ${version} cannot serve right now`, undefined, { cause: err });
      }
      version = next;
    }
  }
}
