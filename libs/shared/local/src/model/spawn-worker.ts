import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

/**
 * Starts `<name>.worker` from this folder in a worker thread. When running from TypeScript sources
 * (tsx, jest) the worker first registers tsx's require hook, which also maps tsconfig paths;
 * compiled builds load the `.js` file directly. Workers also give onnxruntime a plain Node realm
 * (jest's sandboxed typed arrays are rejected by its tensor checks).
 */
export function spawnWorker(name: string, workerData: unknown): Worker {
  const fromSource = __filename.endsWith('.ts');
  const file = join(__dirname, `${name}.worker.${fromSource ? 'ts' : 'js'}`);
  return fromSource
    ? new Worker(`require(${JSON.stringify(require.resolve('tsx/cjs'))}); require(${JSON.stringify(file)});`, { eval: true, workerData })
    : new Worker(file, { workerData });
}
