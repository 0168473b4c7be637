import { RelabelError } from '@relabel/contracts';
import type { TrainingRun } from '../domain/training-run.schema';
import type { TrainerDeps } from './trainer-deps';

export function listRuns(deps: Pick<TrainerDeps, 'runs'>, limit: number): Promise<TrainingRun[]> {
  return deps.runs.list(limit);
}

export async function getRun(deps: Pick<TrainerDeps, 'runs'>, id: string): Promise<TrainingRun> {
  const run = await deps.runs.get(id);
  if (!run) throw new RelabelError('TRAINING_NOT_FOUND', `no training run ${id}`);
  return run;
}
