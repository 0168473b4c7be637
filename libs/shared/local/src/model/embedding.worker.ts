import { parentPort, workerData } from 'node:worker_threads';
import { isRelabelError } from '@relabel/contracts';
import { loadBackbone, type NetName } from './backbone';
import { createEmbedder } from './embedder';
import type { View } from './preprocess';

/** Inference worker (one "inference unit"): keeps a backbone session and embeds images on request. */
const port = parentPort;
if (!port) throw new Error('embedding.worker must run in a worker thread');
const { cacheDir, threads } = workerData as { cacheDir: string; threads: number };
const backbone = loadBackbone(cacheDir, threads);
const embedder = backbone.then((b) => createEmbedder(b));

type Request = { id: number; bytes: Uint8Array; views: View[] } | { id: number; net: NetName; pixels: Float32Array; size: number };

port.on('message', async (message: Request) => {
  try {
    // Raw pixels (one square NHWC image) are for checks of the backbone itself.
    const vectors =
      'pixels' in message
        ? [await (await backbone).netFeatures(message.net, message.pixels, message.size)]
        : await (await embedder).embed(Buffer.from(message.bytes.buffer, message.bytes.byteOffset, message.bytes.byteLength), message.views);
    port.postMessage({ id: message.id, vectors });
  } catch (err) {
    port.postMessage({ id: message.id, error: { code: isRelabelError(err) ? err.code : undefined, message: err instanceof Error ? err.message : String(err) } });
  }
});
