import { evaluationSummaryKey, manifestKey } from '@relabel/contracts';
import type { ModelVersionInfo } from '@relabel/ports';
import { gateVerdict } from '../domain/gate';
import { beginStep, endStep } from '../domain/run-steps';
import type { Gate, TrainingRun } from '../domain/training-run.schema';
import { createVersionAndWait } from './create-version.step';
import { evaluateOnTestManifest } from './evaluate-champion';
import { failRun, finishRun } from './finish-run';
import { loadStepRun, StepInput } from './step-run';
import type { TrainerDeps } from './trainer-deps';

export type AwaitTrainingDeps = Pick<TrainerDeps, 'store' | 'models' | 'state' | 'notifier' | 'runs' | 'lock' | 'observeRun' | 'jobs' | 'parameters' | 'clock' | 'timing' | 'logger'>;

/**
 * One delayed poll of a training (flow B.4): still training → poll again later; failed → the
 * dataset is remembered as failed; completed → the gate (flow B.5).
 */
export async function awaitTraining(deps: AwaitTrainingDeps, input: StepInput): Promise<TrainingRun | null> {
  const run = await loadStepRun(deps, 'await-training', input);
  if (!run) return null;
  const [info] = await deps.models.describeVersions([input.version]);
  if (!info) return failRun(deps, run, `the model service does not know version ${input.version}`, false);
  if (info.status === 'TRAINING_IN_PROGRESS') {
    const started = run.steps.find((s) => s.name === 'train')?.startedAt ?? run.createdAt;
    if (deps.clock().getTime() - Date.parse(started) > deps.timing.trainingTimeoutMs) {
      return failRun(deps, endStep(run, 'train', deps.clock(), 'failed'), 'training did not finish in time', false);
    }
    const pendingJob = await deps.jobs.step('await-training', input, (input.attempt ?? 0) + 1, deps.timing.trainingPollMs);
    return deps.runs.put({ ...run, pendingJob }, deps.clock());
  }
  if (info.status === 'TRAINING_FAILED') {
    const reason = `training failed: ${info.statusMessage ?? 'no reason given'}`;
    const failed = endStep(run, 'train', deps.clock(), 'failed', info.statusMessage);
    if ((run.retriedVersions?.length ?? 0) < deps.timing.trainingRetries) return retryTraining(deps, failed, reason);
    return failRun(deps, failed, reason, true);
  }
  return gate(deps, endStep(run, 'train', deps.clock(), 'done', info.statusMessage), info);
}

/**
 * A failed training is retried (bounded by `trainingRetries`) under a new version name inside the
 * same run: a training can die with its process (the embedded model service trains in the trainer),
 * which says nothing about the data. Only when the retries fail too is the dataset remembered as failed.
 */
async function retryTraining(deps: AwaitTrainingDeps, run: TrainingRun, reason: string): Promise<TrainingRun> {
  const failedVersion = run.version!;
  const retriedVersions = [...(run.retriedVersions ?? []), { version: failedVersion, reason }];
  const version = `${run.id}-${retriedVersions.length + 1}`;
  const manifests = { train: manifestKey(version, 'train'), test: manifestKey(version, 'test') };
  await deps.store.copy(run.manifests!.train, manifests.train);
  await deps.store.copy(run.manifests!.test, manifests.test);
  const inFlight = await deps.state.get('versionsInFlight');
  await deps.state.set('versionsInFlight', [...inFlight.filter((v) => v !== failedVersion && v !== version), version]);
  deps.logger.warn({ runId: run.id, failedVersion, version, reason }, 'training failed; retrying under a new version');
  run = await deps.runs.put({ ...run, version, manifests, retriedVersions }, deps.clock());
  return createVersionAndWait(deps, run);
}

async function gate(deps: AwaitTrainingDeps, run: TrainingRun, info: ModelVersionInfo): Promise<TrainingRun> {
  const evaluation = info.evaluation;
  if (!evaluation) return failRun(deps, run, 'the model service reported no evaluation for the trained version', true);
  run = beginStep({ ...run, status: 'evaluating' }, 'gate', deps.clock());
  const challenger = { version: info.version, evaluation: { f1: evaluation.f1, precision: evaluation.precision, recall: evaluation.recall, perLabel: evaluation.perLabel, testImages: evaluation.testImages } };
  const live = await deps.state.get('activeModelVersion');
  let champion: Gate['champion'];
  if (live && live !== info.version) {
    try {
      champion = { version: live, evaluation: await evaluateOnTestManifest(deps, live, run.manifests!.test) };
    } catch (err) {
      // The comparison is informative; a live model that cannot answer must not block the gate.
      champion = { version: live, error: (err as Error).message };
    }
  }
  const minimumF1 = deps.parameters()['Minimum-F1-Score'];
  const verdict = gateVerdict(evaluation.f1, minimumF1);
  run = { ...run, gate: { minimumF1, passed: verdict.passed, ...(verdict.reason ? { reason: verdict.reason } : {}), challenger, ...(champion ? { champion } : {}) } };
  const summaryKey = evaluationSummaryKey(info.version);
  if (!(await deps.store.head(summaryKey))) {
    await deps.store.put(summaryKey, Buffer.from(JSON.stringify({ version: info.version, ...evaluation }, null, 1)), { contentType: 'application/json' });
  }
  const detail = `F1 ${evaluation.f1.toFixed(3)} vs minimum ${minimumF1}${champion?.evaluation ? `; live ${live} scores ${champion.evaluation.f1.toFixed(3)}` : ''}`;
  if (!verdict.passed) {
    return finishRun(deps, endStep(run, 'gate', deps.clock(), 'done', detail), 'rejected', {
      reason: verdict.reason,
      recordDataset: true,
      notify: { type: 'training.rejected', subject: `Version ${info.version} rejected: ${verdict.reason}`, data: { gate: run.gate } },
    });
  }
  run = endStep({ ...run, status: 'deploying' }, 'gate', deps.clock(), 'done', detail);
  const pendingJob = await deps.jobs.step('deploy', { runId: run.id, version: info.version }, 0, 0);
  return deps.runs.put({ ...run, pendingJob }, deps.clock());
}
