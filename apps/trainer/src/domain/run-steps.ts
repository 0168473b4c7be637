import type { RunStep, TrainingRun } from './training-run.schema';

/** Step bookkeeping: each step is recorded once with its start, end and duration. */
export function beginStep(run: TrainingRun, name: string, now: Date): TrainingRun {
  if (run.steps.some((s) => s.name === name && s.status === 'running')) return run;
  const step: RunStep = { name, status: 'running', startedAt: now.toISOString() };
  return { ...run, steps: [...run.steps, step] };
}

export function endStep(run: TrainingRun, name: string, now: Date, outcome: 'done' | 'failed' = 'done', detail?: string): TrainingRun {
  let found = false;
  const steps = run.steps.map((s) => {
    if (s.name !== name || s.status !== 'running') return s;
    found = true;
    return { ...s, status: outcome, endedAt: now.toISOString(), durationMs: now.getTime() - Date.parse(s.startedAt), ...(detail ? { detail } : {}) };
  });
  if (!found) steps.push({ name, status: outcome, startedAt: now.toISOString(), endedAt: now.toISOString(), durationMs: 0, ...(detail ? { detail } : {}) });
  return { ...run, steps };
}

export function stepDone(run: TrainingRun, name: string): boolean {
  return run.steps.some((s) => s.name === name && s.status === 'done');
}
