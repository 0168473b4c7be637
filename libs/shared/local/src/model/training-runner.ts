import { spawnWorker } from './spawn-worker';
import type { LabelledImage, TrainingResult } from './train-pipeline';

export type WorkerMessage =
  | { type: 'progress'; stage: string; done: number; total: number }
  | { type: 'done'; result: TrainingResult }
  | { type: 'failed'; message: string; dataset: boolean };

export interface TrainingRun {
  /** Hands the worker its images; it has been loading the backbone since it started. */
  start(train: LabelledImage[], test: LabelledImage[]): void;
  result: Promise<TrainingResult>;
  terminate(): Promise<void>;
}

export class WorkerTrainingError extends Error {
  constructor(message: string, readonly dataset: boolean) {
    super(message);
  }
}

/** Runs training in a worker thread, off the caller's event loop. */
export function trainInWorker(cacheDir: string, onProgress: (stage: string, done: number, total: number) => void): TrainingRun {
  const worker = spawnWorker('training', { cacheDir });
  const result = new Promise<TrainingResult>((resolve, reject) => {
    let settled = false;
    const settle = (action: () => void) => {
      settled = true;
      action();
    };
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'progress') onProgress(message.stage, message.done, message.total);
      else if (message.type === 'done') settle(() => resolve(message.result));
      else settle(() => reject(new WorkerTrainingError(message.message, message.dataset)));
    });
    worker.on('error', (err) => settle(() => reject(err)));
    worker.on('exit', (code) => {
      if (!settled) reject(new WorkerTrainingError(`training worker exited with code ${code}`, false));
    });
  });
  // A run terminated before it was started (its images could not be read) is never awaited.
  result.catch(() => undefined);
  return {
    // Copied, not transferred: small Buffers share Node's pool, which must not be detached.
    start: (train, test) => worker.postMessage({ train, test }),
    result,
    async terminate() {
      await worker.terminate();
    },
  };
}
