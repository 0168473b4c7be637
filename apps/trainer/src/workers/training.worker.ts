import type { FastifyInstance } from 'fastify';
import { isRelabelError, QUEUES } from '@relabel/contracts';
import type { JobContext } from '@relabel/platform';
import { runIdFor } from '../domain/run-id';
import { isTerminal } from '../domain/training-run.schema';
import { awaitStart } from '../use-cases/await-start.use-case';
import { awaitTraining } from '../use-cases/await-training.use-case';
import { checkTraining } from '../use-cases/check-training.use-case';
import { failRun } from '../use-cases/finish-run.use-case';
import { startDeployment } from '../use-cases/start-deployment.use-case';
import type { TrainerDeps } from '../use-cases/trainer-deps';

/**
 * The training queue's worker: each job calls one use case. Concurrency 1 keeps one run's steps
 * strictly ordered in this process; across processes the training slot (a Redis lock) decides.
 * When a job will not be retried any more, its run is closed as failed so the slot is freed.
 */
export function registerTrainingWorker(app: FastifyInstance): void {
  const deps = app.trainer;
  app.workers.register(
    QUEUES.training,
    {
      poll: (_payload, job) => {
        // A retried poll keeps its run id: the id derives from the scheduler's job.
        const runId = runIdFor('training', new Date(job.timestamp), job.id ?? String(job.timestamp));
        return guarded(deps, runId, job, () => checkTraining(deps, { runId, force: false, trigger: 'schedule' }));
      },
      check: (payload, job) => guarded(deps, payload.runId, job, () => checkTraining(deps, payload)),
      'await-training': (payload, job) => guarded(deps, payload.runId, job, () => awaitTraining(deps, payload)),
      'await-start': (payload, job) => guarded(deps, payload.runId, job, () => awaitStart(deps, payload)),
      deploy: (payload, job) => {
        const runId = payload.runId ?? payload.requestId;
        return guarded(deps, runId, job, () => startDeployment(deps, { runId, version: payload.version, attempt: payload.attempt ?? 0 }));
      },
    },
    { concurrency: 1 },
  );
}

async function guarded(deps: TrainerDeps, runId: string, job: JobContext, step: () => Promise<unknown>): Promise<{ runId: string; status: string | null }> {
  try {
    const run = (await step()) as { status?: string } | null;
    return { runId, status: run?.status ?? null };
  } catch (err) {
    const permanent = isRelabelError(err) && !err.retryable;
    const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    if (permanent || lastAttempt) {
      const run = await deps.runs.get(runId).catch(() => null);
      if (run && !isTerminal(run)) await failRun(deps, run, `${job.name} gave up: ${(err as Error).message}`, false);
    }
    throw err;
  }
}
