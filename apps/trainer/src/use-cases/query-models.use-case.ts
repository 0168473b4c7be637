import { auditsPrefix, RelabelError, summarizeAuditListing } from '@relabel/contracts';
import { listAllObjects, type ModelVersionInfo } from '@relabel/ports';
import type { TrainerDeps } from './trainer-deps';
import type { ModelView } from '../domain/model-view.schema';
import { runIdOfVersion } from '../domain/run-id';

type Deps = Pick<TrainerDeps, 'models' | 'state' | 'runs'>;
type ModelDeps = Deps & Pick<TrainerDeps, 'store' | 'parameters'>;

/** The model service's view of a version joined with what the trainer recorded about it. */
async function toView(deps: Deps, info: ModelVersionInfo, live: string | null): Promise<ModelView> {
  const runId = runIdOfVersion(info.version);
  const owner = runId ? await deps.runs.get(runId) : null;
  // A version that failed and was retried inside its run gets only the run's id and its own failure.
  const retried = owner?.retriedVersions?.find((r) => r.version === info.version);
  if (owner && retried) return { ...baseView(info, live), runId: owner.id, failedReason: retried.reason };
  const run = owner?.version === info.version ? owner : null;
  const evaluation = info.evaluation ?? run?.gate?.challenger.evaluation;
  return {
    ...baseView(info, live),
    ...(run?.dataset ? { datasetImages: run.dataset.images, trainImages: run.dataset.trainImages, testImages: run.dataset.testImages } : {}),
    ...(info.labels ? { labels: info.labels } : run?.dataset ? { labels: run.dataset.labels.map((l) => l.label) } : {}),
    ...(evaluation ? { f1: evaluation.f1, precision: evaluation.precision, recall: evaluation.recall, perLabel: evaluation.perLabel } : {}),
    ...(info.evaluation?.confusion ? { confusion: info.evaluation.confusion } : {}),
    ...(run ? { runId: run.id, runStatus: run.status } : {}),
    ...(run?.gate ? { gate: run.gate } : {}),
    ...(run?.status === 'rejected' && run.reason ? { rejectedReason: run.reason } : {}),
    ...(run?.status === 'failed' && run.reason ? { failedReason: run.reason } : {}),
  };
}

function baseView(info: ModelVersionInfo, live: string | null): ModelView {
  return {
    version: info.version,
    status: info.status,
    ...(info.statusMessage ? { statusMessage: info.statusMessage } : {}),
    live: info.version === live,
    createdAt: info.createdAt,
    ...(info.trainingEndedAt ? { trainingEndedAt: info.trainingEndedAt } : {}),
    ...(info.inferenceUnits !== undefined ? { inferenceUnits: info.inferenceUnits } : {}),
    ...(info.progress && info.status === 'TRAINING_IN_PROGRESS' ? { progress: info.progress } : {}),
  };
}

export async function listModels(deps: Deps): Promise<ModelView[]> {
  const [versions, live] = await Promise.all([deps.models.describeVersions(), deps.state.get('activeModelVersion')]);
  const views = await Promise.all(versions.map((info) => toView(deps, info, live)));
  return views.sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1));
}

/** One version, with its live accuracy from answered audits when it has any (listed from the bucket). */
export async function getModel(deps: ModelDeps, version: string): Promise<ModelView> {
  const [info] = await deps.models.describeVersions([version]);
  if (!info) throw new RelabelError('MODEL_NOT_FOUND', `no model version ${version}`);
  const [view, [liveAccuracy]] = await Promise.all([
    toView(deps, info, await deps.state.get('activeModelVersion')),
    summarizeAuditListing(listAllObjects(deps.store, auditsPrefix(version)), deps.parameters()['Minimum-F1-Score']),
  ]);
  return liveAccuracy ? { ...view, liveAccuracy } : view;
}
