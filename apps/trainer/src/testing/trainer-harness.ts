import { defaultParameters, Parameters } from '@relabel/contracts';
import { silentLogger } from '@relabel/ports';
import { RunRecords } from '../infra/run-records.repository';
import { stepJobId, TrainingJobs } from '../infra/training-jobs';
import { awaitStart } from '../use-cases/await-start.use-case';
import { awaitTraining } from '../use-cases/await-training.use-case';
import { checkTraining } from '../use-cases/check-training.use-case';
import { startDeployment } from '../use-cases/start-deployment.use-case';
import { DEFAULT_TIMING, TrainerDeps } from '../use-cases/trainer-deps';
import { FixtureModelService, FixtureScript } from './fixture-model-service';
import { MemoryLock, MemoryObjectStore, MemoryStateStore, RecordingNotifier } from './memory-ports';

interface QueuedJob {
  name: string;
  id: string;
  payload: { runId: string; version?: string; attempt?: number; force?: boolean; trigger?: 'schedule' | 'api' };
}

/**
 * The trainer's use cases wired to in-memory ports and a scripted model service, with a job list
 * standing in for the queue (delays are ignored: `drain()` runs jobs in order, as the worker would).
 */
export function trainerHarness(script: FixtureScript) {
  const store = new MemoryObjectStore();
  const state = new MemoryStateStore();
  const notifier = new RecordingNotifier();
  const lock = new MemoryLock();
  const models = new FixtureModelService(script);
  const queue: QueuedJob[] = [];
  const published: Array<{ version: string; previousVersion: string | null }> = [];
  let params: Parameters = defaultParameters();
  const push = (job: QueuedJob) => {
    if (!queue.some((j) => j.id === job.id)) queue.push(job);
  };
  const jobs: TrainingJobs = {
    check: async (payload) => push({ name: 'check', id: `check-${payload.runId}`, payload }),
    step: async (name, payload, attempt) => {
      const id = stepJobId(name, payload.runId, attempt);
      push({ name, id, payload: { ...payload, attempt } });
      return { name, id, attempt };
    },
    isAlive: async (id) => queue.some((j) => j.id === id),
  };
  const deps: TrainerDeps = {
    store,
    models,
    state,
    notifier,
    lock,
    jobs,
    runs: new RunRecords(store),
    parameters: () => params,
    publishActivated: async (m) => void published.push(m),
    observeRun: () => undefined,
    clock: () => new Date(),
    timing: { ...DEFAULT_TIMING },
    logger: silentLogger,
  };

  async function runJob(job: QueuedJob): Promise<void> {
    const p = job.payload;
    const step = { runId: p.runId, version: p.version ?? '', attempt: p.attempt ?? 0 };
    if (job.name === 'check') await checkTraining(deps, { runId: p.runId, force: p.force ?? false, trigger: p.trigger ?? 'api' });
    else if (job.name === 'await-training') await awaitTraining(deps, step);
    else if (job.name === 'await-start') await awaitStart(deps, step);
    else if (job.name === 'deploy') await startDeployment(deps, step);
  }

  return {
    deps,
    store,
    state,
    notifier,
    lock,
    models,
    queue,
    published,
    setParameters(change: Partial<Parameters>) {
      params = { ...params, ...change };
    },
    async addImages(label: string, count: number, from = 0, ext = 'jpg') {
      for (let i = from; i < from + count; i++) await store.put(`images_labeled_by_folder/${label}/${label}-${i}.${ext}`, Buffer.from(`${label} image ${i}`));
    },
    /** Runs queued jobs in order until none is left. */
    async drain(maxJobs = 200): Promise<number> {
      let ran = 0;
      while (queue.length && ran < maxJobs) {
        await runJob(queue.shift()!);
        ran += 1;
      }
      if (queue.length) throw new Error(`still ${queue.length} jobs after ${maxJobs}`);
      return ran;
    },
  };
}
export type TrainerHarness = ReturnType<typeof trainerHarness>;
