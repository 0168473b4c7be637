import { manifestKey, PREFIX, stratifiedSplit } from '@relabel/contracts';
import { listAllObjects } from '@relabel/ports';
import { decideTraining } from '../domain/criteria';
import { groupByLabel, scanLabeledObjects } from '../domain/labeled-dataset';
import { buildManifests } from '../domain/manifest';
import { beginStep, endStep } from '../domain/run-steps';
import type { Dataset, TrainingRun } from '../domain/training-run.schema';
import { claimSlot } from './claim-slot.use-case';
import { finishRun } from './finish-run.use-case';
import { createVersionAndWait } from './create-version.use-case';
import type { TrainerDeps } from './trainer-deps';
import { markInFlight } from '../infra/versions-in-flight';

export type CheckDeps = Pick<TrainerDeps, 'store' | 'models' | 'state' | 'notifier' | 'runs' | 'lock' | 'observeRun' | 'jobs' | 'parameters' | 'clock' | 'timing' | 'logger'>;

export interface CheckInput {
  runId: string;
  force: boolean;
  trigger: 'schedule' | 'api';
}

const SKIPPED_SAMPLES = 20;

export function newTrainingRun(input: CheckInput, now: Date): TrainingRun {
  const at = now.toISOString();
  return { id: input.runId, kind: 'training', trigger: input.trigger, force: input.force, status: 'queued', createdAt: at, updatedAt: at, steps: [] };
}

/**
 * The training check (flow B.2–B.4): counts the labelled images, decides with a recorded reason,
 * and when it trains, takes the slot, writes the manifests and creates the version. Safe to run
 * again for the same run id: a finished run is left alone, a run past its snapshot only resumes.
 */
export async function checkTraining(deps: CheckDeps, input: CheckInput): Promise<TrainingRun> {
  let run = (await deps.runs.get(input.runId)) ?? newTrainingRun(input, deps.clock());
  if (run.status === 'training' && !run.pendingJob) return createVersionAndWait(deps, run);
  if (run.status !== 'queued' && run.status !== 'checking') return run;

  run = beginStep({ ...run, status: 'checking' }, 'check', deps.clock());
  const objects = [];
  for await (const info of listAllObjects(deps.store, PREFIX.labeled)) objects.push(info);
  const scan = scanLabeledObjects(objects);
  for (const s of scan.skipped.slice(0, SKIPPED_SAMPLES)) deps.logger.warn({ key: s.key, reason: s.reason }, 'labelled object skipped');
  const split = stratifiedSplit(groupByLabel(scan.images));
  const params = deps.parameters();
  const decision = decideTraining({
    force: input.force,
    validImages: scan.images.length,
    lastDeployedDatasetImages: await deps.state.get('lastDeployedDatasetImages'),
    minimumUntrainedImages: params['Minimum-Untrained-Images'],
    previous: await deps.runs.datasetOutcome(scan.fingerprint),
    trainableLabels: split.labels.length,
  });
  const dataset: Dataset = {
    fingerprint: scan.fingerprint,
    images: scan.images.length,
    trainImages: split.labels.reduce((n, l) => n + l.train.length, 0),
    testImages: split.labels.reduce((n, l) => n + l.test.length, 0),
    labels: split.labels.map((l) => ({ label: l.label, train: l.train.length, test: l.test.length })),
    excludedLabels: split.excluded,
    skippedObjects: scan.skipped.length,
    skippedSamples: scan.skipped.slice(0, SKIPPED_SAMPLES),
  };
  run = { ...run, dataset, untrainedImages: decision.untrained, minimumUntrainedImages: params['Minimum-Untrained-Images'] };
  if (!decision.train) return finishRun(deps, endStep(run, 'check', deps.clock(), 'done', decision.reason), 'skipped', { reason: decision.reason });

  const slot = await claimSlot(deps, run.id);
  if (!slot.ok) return finishRun(deps, endStep(run, 'check', deps.clock(), 'done', slot.reason), 'skipped', { reason: slot.reason });
  run = endStep(run, 'check', deps.clock(), 'done', `${decision.untrained} untrained images${input.force ? ' (forced)' : ''}`);

  // The run id is the version name, so a retried check creates the same version, not a second one.
  const version = run.id;
  run = beginStep({ ...run, version }, 'snapshot', deps.clock());
  await markInFlight(deps.state, version);
  const manifests = buildManifests(split.labels, { bucket: deps.store.bucket, version });
  const keys = { train: manifestKey(version, 'train'), test: manifestKey(version, 'test') };
  await deps.store.put(keys.train, Buffer.from(manifests.train), { contentType: 'application/jsonlines' });
  await deps.store.put(keys.test, Buffer.from(manifests.test), { contentType: 'application/jsonlines' });
  const excluded = split.excluded.length ? `; left out: ${split.excluded.map((e) => `${e.label} (${e.images})`).join(', ')}` : '';
  run = endStep({ ...run, manifests: keys }, 'snapshot', deps.clock(), 'done', `${dataset.trainImages} train / ${dataset.testImages} test images, ${dataset.labels.length} labels${excluded}`);
  run = await deps.runs.put({ ...run, status: 'training' }, deps.clock());
  return createVersionAndWait(deps, run);
}
