import { parentPort, workerData } from 'node:worker_threads';
import { loadBackbone } from './backbone';
import { createEmbedder, keypointsDir } from './embedder';
import { runTraining, TrainingFailure, type LabelledImage } from './train-pipeline';

/**
 * Worker-thread entry: embeds and trains off the caller's event loop. Receives one
 * `{ train, test }` message, posts `progress` messages, then `done` (the result) or `failed`.
 */
const port = parentPort;
if (!port) throw new Error('training.worker must run in a worker thread');
const { cacheDir } = workerData as { cacheDir: string };
// Loaded while the job reads the images (training-job.ts starts this worker first).
const backbone = loadBackbone(cacheDir);
backbone.catch(() => undefined); // awaited with the message

port.once('message', async (message: { train: LabelledImage[]; test: LabelledImage[] }) => {
  try {
    const embedder = createEmbedder(await backbone, cacheDir);
    const result = await runTraining(embedder, message.train, message.test, (stage, done, total) => port.postMessage({ type: 'progress', stage, done, total }), { keypointsDir: keypointsDir(cacheDir) });
    port.postMessage({ type: 'done', result });
  } catch (err) {
    port.postMessage({ type: 'failed', message: err instanceof Error ? err.message : String(err), dataset: err instanceof TrainingFailure });
  } finally {
    await (await backbone.catch(() => undefined))?.close();
    port.close();
  }
});
