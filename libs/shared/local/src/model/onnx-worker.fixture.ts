import { Worker } from 'node:worker_threads';

/**
 * Runs an ONNX graph once in a worker thread, for tests: onnxruntime-node checks its tensors with
 * `instanceof Float32Array`, which fails across jest's sandbox realm, so sessions cannot run in the
 * test itself. `optimizedModelFilePath` saves the graph as onnxruntime optimised it (fusions);
 * `graphOptimizationLevel: 'disabled'` runs every node as written.
 */
export function runOnnx(
  model: Uint8Array,
  input: { pixels: Float32Array; size: number },
  options: { outputs?: string[]; graphOptimizationLevel?: 'disabled' | 'basic' | 'all'; optimizedModelFilePath?: string } = {},
): Promise<Record<string, Float32Array>> {
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    const ort = require('onnxruntime-node');
    (async () => {
      const { model, pixels, size, options } = workerData;
      const { outputs, ...sessionOptions } = options;
      const session = await ort.InferenceSession.create(model, { graphOptimizationLevel: 'basic', ...sessionOptions });
      const result = await session.run({ pixels_nhwc: new ort.Tensor('float32', new Float32Array(pixels), [1, size, size, 3]) }, outputs);
      parentPort.postMessage(Object.fromEntries(Object.entries(result).map(([k, t]) => [k, new Float32Array(t.data)])));
      await session.release();
    })().catch((err) => parentPort.postMessage({ error: String(err) }));`;
  return new Promise((resolve, reject) => {
    const worker = new Worker(code, { eval: true, workerData: { model, pixels: input.pixels, size: input.size, options } });
    worker.once('message', (message: Record<string, Float32Array> & { error?: string }) => {
      void worker.terminate();
      if (message.error) reject(new Error(String(message.error)));
      else resolve(message);
    });
    worker.once('error', reject);
  });
}
