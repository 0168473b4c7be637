import { Counter, Gauge, Registry } from 'prom-client';
import type { TrainingRun } from '../domain/training-run.schema';

/** Prometheus view of the trainer's outcomes: runs by kind and outcome, F1 of the version last deployed by a training. */
export function trainerMetrics(registry: Registry): (run: TrainingRun) => void {
  const runs = new Counter({
    name: 'relabel_trainer_runs_total',
    help: 'Finished training checks and deployments by kind and outcome',
    labelNames: ['kind', 'outcome'],
    registers: [registry],
  });
  const f1 = new Gauge({ name: 'relabel_trainer_deployed_f1', help: 'Test-set F1 of the last version a training deployed', registers: [registry] });
  return (run) => {
    runs.inc({ kind: run.kind, outcome: run.status });
    if (run.status === 'deployed' && run.gate) f1.set(run.gate.challenger.evaluation.f1);
  };
}
