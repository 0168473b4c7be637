import { parentPort, workerData } from 'node:worker_threads';
import { isRelabelError } from '@relabel/contracts';
import { loadBackbone, type NetName } from './backbone';
import { FRAMES_KEPT, SCREENS_PER_WORKER } from './embedding-pool';
import { screenIsSure, type Screen } from './head';
import { detectKeypoints, greyOf, type GreyImage } from './keypoints';
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
/** Grey frames of recent embeds that asked to keep theirs, by request id (oldest first). */
const frames = new Map<number, GreyImage>();

type Request =
  | { id: number; bytes: Uint8Array; views: View[]; screenId?: number; screen?: Screen; keepFrame?: boolean }
  | { id: number; net: NetName; pixels: Float32Array; size: number }
  | { id: number; keypointsOf: Uint8Array; frame?: number };

const bufferOf = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

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
      // The mark check's keypoints of the frame (mark-check.ts), off the service's event loop: of the
      // frame its embed kept, else (evicted by other requests) decoded again.
      const kept = message.frame === undefined ? undefined : frames.get(message.frame);
      if (message.frame !== undefined) frames.delete(message.frame);
      const keypoints = detectKeypoints(kept ?? greyOf(await letterbox(bufferOf(message.keypointsOf)), INPUT_SIZE, INPUT_SIZE));
      port.postMessage({ id: message.id, keypoints }, [keypoints.xy.buffer as ArrayBuffer, keypoints.descriptors.buffer as ArrayBuffer]);
      return;
    }
    let vectors: Float32Array[];
    if ('pixels' in message) {
      // Raw pixels (one square NHWC image) are for checks of the backbone itself.
      vectors = [await (await backbone).netFeatures(message.net, message.pixels, message.size)];
    } else {
      const screen = screenFor(message);
      const rgb = await letterbox(bufferOf(message.bytes));
      if (message.keepFrame) {
        frames.set(message.id, greyOf(rgb, INPUT_SIZE, INPUT_SIZE));
        while (frames.size > FRAMES_KEPT) frames.delete(frames.keys().next().value!);
      }
      const net = await backbone;
      const first = await net.embedFirst(rgb, message.views);
      vectors = screen && screenIsSure(screen, first) ? first : await net.embedSecond(rgb, message.views, first);
    }
    port.postMessage({ id: message.id, vectors });
  } catch (err) {
    port.postMessage({ id: message.id, error: { code: isRelabelError(err) ? err.code : undefined, message: err instanceof Error ? err.message : String(err) } });
  }
});
