import { parentPort, workerData } from 'node:worker_threads';
import { isRelabelError } from '@relabel/contracts';
import { loadBackbone, type NetName } from './backbone';
import { SCREENS_PER_WORKER } from './embedding-pool';
import { screenIsSure, type Screen } from './head';
import { detectKeypoints, greyOf } from './keypoints';
import { INPUT_SIZE, letterbox, type View } from './preprocess';
import { RecentSet } from './recent-set';

/** Inference worker (one "inference unit"): keeps a backbone session and embeds images on request. */
const port = parentPort;
if (!port) throw new Error('embedding.worker must run in a worker thread');
const { cacheDir, threads } = workerData as { cacheDir: string; threads: number };
const backbone = loadBackbone(cacheDir, threads);
// Mirrors the pool's RecentSet for this worker (see embedding-pool.ts).
const recent = new RecentSet<number>(SCREENS_PER_WORKER);
const screens = new Map<number, Screen>();

type Request =
  | { id: number; bytes: Uint8Array; views: View[]; screenId?: number; screen?: Screen }
  | { id: number; net: NetName; pixels: Float32Array; size: number }
  | { id: number; keypointsOf: Uint8Array };

function screenFor(message: { screenId?: number; screen?: Screen }): Screen | undefined {
  if (message.screenId === undefined) return undefined;
  if (message.screen) screens.set(message.screenId, message.screen);
  recent.touch(message.screenId);
  for (const id of screens.keys()) if (!recent.has(id)) screens.delete(id);
  return screens.get(message.screenId);
}

port.on('message', async (message: Request) => {
  try {
    if ('keypointsOf' in message) {
      // The mark check's keypoints of the frame (mark-check.ts), off the service's event loop.
      const rgb = await letterbox(Buffer.from(message.keypointsOf.buffer, message.keypointsOf.byteOffset, message.keypointsOf.byteLength));
      const keypoints = detectKeypoints(greyOf(rgb, INPUT_SIZE, INPUT_SIZE));
      port.postMessage({ id: message.id, keypoints }, [keypoints.xy.buffer as ArrayBuffer, keypoints.descriptors.buffer as ArrayBuffer]);
      return;
    }
    let vectors: Float32Array[];
    if ('pixels' in message) {
      // Raw pixels (one square NHWC image) are for checks of the backbone itself.
      vectors = [await (await backbone).netFeatures(message.net, message.pixels, message.size)];
    } else {
      const screen = screenFor(message);
      const rgb = await letterbox(Buffer.from(message.bytes.buffer, message.bytes.byteOffset, message.bytes.byteLength));
      const net = await backbone;
      const first = await net.embedFirst(rgb, message.views);
      vectors = screen && screenIsSure(screen, first) ? first : await net.embedSecond(rgb, message.views, first);
    }
    port.postMessage({ id: message.id, vectors });
  } catch (err) {
    port.postMessage({ id: message.id, error: { code: isRelabelError(err) ? err.code : undefined, message: err instanceof Error ? err.message : String(err) } });
  }
});
