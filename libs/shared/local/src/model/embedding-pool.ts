import { cpus } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { RelabelError, type ErrorCode } from '@relabel/contracts';
import type { NetName } from './backbone';
import type { Screen } from './head';
import type { Keypoints } from './keypoints';
import type { View } from './preprocess';
import { RecentSet } from './recent-set';
import { spawnWorker } from './spawn-worker';

type Reply = { id: number; vectors?: Float32Array[]; keypoints?: Keypoints; error?: { code?: ErrorCode; message: string } };

interface Slot {
  worker: Worker;
  busy: number;
  /** Screens this worker holds: it keeps the same RecentSet, updated in the same message order. */
  screens: RecentSet<number>;
}

/** Screens (one per served version) a worker keeps; a blue/green switch serves two at once. */
export const SCREENS_PER_WORKER = 4;

/**
 * Grey 448² frames (200 kB each) a worker keeps after embeds that may be followed by their mark
 * check, so the check does not decode the image again (about as many as a worker has requests in
 * flight; an evicted frame is decoded again).
 */
export const FRAMES_KEPT = 4;

/**
 * A pool of inference workers (each with its own backbone session). Its size follows the inference
 * units of the versions served, capped at the CPU count; requests go to the least busy worker.
 */
export class EmbeddingPool {
  private readonly slots: Slot[] = [];
  private readonly pending = new Map<number, { resolve: (v: Float32Array[] | Keypoints) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private readonly screenIds = new WeakMap<Screen, number>();
  private nextScreenId = 1;

  constructor(private readonly cacheDir: string) {}

  /** Grows the pool to `units` workers (never shrinks while serving; close releases all). */
  ensureSize(units: number): void {
    const target = Math.max(1, Math.min(units, cpus().length));
    while (this.slots.length < target) {
      // One worker gets both cores; with several, each gets one so they do not oversubscribe.
      const worker = spawnWorker('embedding', { cacheDir: this.cacheDir, threads: target > 1 ? 1 : 2 });
      const slot: Slot = { worker, busy: 0, screens: new RecentSet(SCREENS_PER_WORKER) };
      worker.on('message', (reply: Reply) => {
        slot.busy--;
        const waiter = this.pending.get(reply.id);
        this.pending.delete(reply.id);
        if (!waiter) return;
        if (reply.vectors ?? reply.keypoints) waiter.resolve((reply.vectors ?? reply.keypoints)!);
        else waiter.reject(reply.error?.code ? new RelabelError(reply.error.code, reply.error.message) : new RelabelError('MODEL_SERVICE_UNAVAILABLE', reply.error?.message));
      });
      worker.on('error', (err) => this.failAll(err));
      this.slots.push(slot);
    }
  }

  private failAll(err: Error): void {
    for (const waiter of this.pending.values()) waiter.reject(new RelabelError('MODEL_SERVICE_UNAVAILABLE', `inference worker failed: ${err.message}`));
    this.pending.clear();
  }

  /**
   * Backbone vectors of the views. With a screen, the worker stops after MobileNet when the screen
   * is sure (see head.ts): the vectors are then MOBILENET_DIMS wide.
   */
  embed(bytes: Buffer, views: readonly View[], screen?: Screen): Promise<Float32Array[]> {
    // An exact private copy, transferred: posting a view would clone its whole backing buffer
    // (e.g. Node's shared pool or a larger request body).
    const own = new Uint8Array(bytes);
    return this.request({ bytes: own, views }, [own.buffer], screen) as Promise<Float32Array[]>;
  }

  /**
   * As `embed`, and the keypoints of the same frame on demand (for the mark check, mark-check.ts):
   * computed by the worker that embedded the image, from the frame it kept.
   */
  async embedForCheck(bytes: Buffer, views: readonly View[], screen?: Screen): Promise<{ vectors: Float32Array[]; keypoints: () => Promise<Keypoints> }> {
    const own = new Uint8Array(bytes);
    const slot = this.leastBusy();
    const { id, reply } = this.send(slot, { bytes: own, views, keepFrame: true }, [own.buffer], screen);
    const vectors = (await reply) as Float32Array[];
    // A pool closed in between has other workers (or none yet): the image is decoded again there.
    const keypoints = () => (this.slots.includes(slot) ? this.send(slot, { keypointsOf: new Uint8Array(bytes), frame: id }).reply : this.keypoints(bytes)) as Promise<Keypoints>;
    return { vectors, keypoints };
  }

  /** Keypoints of the image's frame, for the mark check (mark-check.ts). */
  keypoints(bytes: Buffer): Promise<Keypoints> {
    const own = new Uint8Array(bytes);
    return this.request({ keypointsOf: own }, [own.buffer]) as Promise<Keypoints>;
  }

  /** Backbone features of one square NHWC image in [0, 1] (no decoding; for checks and benches). */
  async features(net: NetName, pixels: Float32Array, size: number): Promise<Float32Array> {
    return ((await this.request({ net, pixels, size })) as Float32Array[])[0]!;
  }

  private leastBusy(): Slot {
    this.ensureSize(1);
    return this.slots.reduce((a, b) => (b.busy < a.busy ? b : a));
  }

  private request(payload: object, transfer: ArrayBuffer[] = [], screen?: Screen): Promise<Float32Array[] | Keypoints> {
    return this.send(this.leastBusy(), payload, transfer, screen).reply;
  }

  private send(slot: Slot, payload: object, transfer: ArrayBuffer[] = [], screen?: Screen): { id: number; reply: Promise<Float32Array[] | Keypoints> } {
    const id = this.nextId++;
    slot.busy++;
    let screenPart = {};
    if (screen) {
      let screenId = this.screenIds.get(screen);
      if (screenId === undefined) this.screenIds.set(screen, (screenId = this.nextScreenId++));
      // The screen's weights (≈ 600 kB at 20 labels) cross once per worker, not with every image.
      screenPart = slot.screens.touch(screenId) ? { screenId } : { screenId, screen };
    }
    const reply = new Promise<Float32Array[] | Keypoints>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      slot.worker.postMessage({ id, ...payload, ...screenPart }, transfer);
    });
    return { id, reply };
  }

  async close(): Promise<void> {
    this.failAll(new Error('closed'));
    await Promise.all(this.slots.splice(0).map((s) => s.worker.terminate()));
  }
}
