import { evaluationSummaryKey } from '@relabel/contracts';
import type { ModelVersionInfo } from '@relabel/ports';
import { decideGate } from '../domain/gate';
import { beginStep, endStep } from '../domain/run-steps';
import type { Gate, TrainingRun } from '../domain/training-run.schema';
import { evaluateOnTestManifest } from './evaluate-champion.use-case';
import { failRun, finishRun } from './finish-run.use-case';
import type { TrainerDeps } from './trainer-deps';

export type GateVersionDeps = Pick<TrainerDeps, 'store' | 'models' | 'state' | 'notifier' | 'runs' | 'lock' | 'observeRun' | 'jobs' | 'parameters' | 'clock' | 'logger'>;

/**
 * Flow B.5, once a version finished training: score the live model on the same test images (for
 * the record), apply the gate (`domain/gate.ts`) with the Minimum-F1-Score in force now, keep the
 * evaluation summary, then either reject the run (its dataset remembered, the operator told) or
 * queue the deployment.
 */
export async function gateVersion(deps: GateVersionDeps, run: TrainingRun, info: ModelVersionInfo): Promise<TrainingRun> {
  const evaluation = info.evaluation;
  if (!evaluation) return failRun(deps, run, 'the model service reported no evaluation for the trained version', true);
  run = beginStep({ ...run, status: 'evaluating' }, 'gate', deps.clock());
  const challenger = { version: info.version, evaluation: { f1: evaluation.f1, precision: evaluation.precision, recall: evaluation.recall, perLabel: evaluation.perLabel, testImages: evaluation.testImages } };
  const champion = await scoreChampion(deps, info.version, run.manifests!.test);
  const { gate, detail } = decideGate({ minimumF1: deps.parameters()['Minimum-F1-Score'], challenger, champion });
  run = { ...run, gate };
  const summaryKey = evaluationSummaryKey(info.version);
  if (!(await deps.store.head(summaryKey))) {
    await deps.store.put(summaryKey, Buffer.from(JSON.stringify({ version: info.version, ...evaluation }, null, 1)), { contentType: 'application/json' });
  }
  if (!gate.passed) {
    return finishRun(deps, endStep(run, 'gate', deps.clock(), 'done', detail), 'rejected', {
      reason: gate.reason,
      recordDataset: true,
      notify: { type: 'training.rejected', subject: `Version ${info.version} rejected: ${gate.reason}`, data: { gate } },
    });
  }
  run = endStep({ ...run, status: 'deploying' }, 'gate', deps.clock(), 'done', detail);
  const pendingJob = await deps.jobs.step('deploy', { runId: run.id, version: info.version }, 0, 0);
  return deps.runs.put({ ...run, pendingJob }, deps.clock());
}

/** The live version on the challenger's test manifest; a live model that cannot answer must not block the gate. */
async function scoreChampion(deps: GateVersionDeps, challenger: string, testManifestKey: string): Promise<Gate['champion']> {
  const live = await deps.state.get('activeModelVersion');
  if (!live || live === challenger) return undefined;
  try {
    return { version: live, evaluation: await evaluateOnTestManifest(deps, live, testManifestKey) };
  } catch (err) {
    return { version: live, error: (err as Error).message };
  }
}
