import type { Worker } from 'node:worker_threads';
import { foldPredictions, type FoldProblem, type FoldTask, type HeldOut } from './fold-predictions';
import type { KeypointsOf } from './keypoint-cache';
import type { Keypoints } from './keypoints';
import type { MarkBank } from './mark-check';
import { agreeLocally, bankedImages, trainMarkBanks, type Agree, type MarkBanks } from './mark-training';
import { spawnWorker } from './spawn-worker';

interface Image {
  key: string;
  label: string;
  bytes: Uint8Array;
}

/**
 * Messages to training-helper.worker.ts: build the banks of these images, match one image, take the
 * training's fold problem, or predict with one fold model of it.
 */
export type HelperRequest =
  | { id: number; train: { images: Image[]; labels: string[] } }
  | { id: number; check: { bytes?: Uint8Array; banked?: number; top: number; leaveOut: number } }
  | { id: number; folds: FoldProblem }
  | { id: number; fold: FoldTask };

type Reply = {
  id: number;
  progress?: { done: number; total: number };
  trained?: { banks: MarkBank[]; keypoints: (Keypoints | null)[]; slots: (number | null)[]; own: (number | null)[] };
  agreement?: number;
  heldOut?: HeldOut[];
  error?: string;
};

interface Job<T> {
  image: T;
  top: number;
  leaveOut: number;
  resolve: (agreement: number) => void;
  reject: (err: Error) => void;
}

/** Checks the helper thread holds at once: one it matches and the next, so it never waits. */
const HELPER_IN_FLIGHT = 2;

/**
 * A training's work outside onnxruntime on two threads: the training thread and a helper
 * (training-helper.worker.ts). The helper builds the mark banks (mark-training.ts) from the start of
 * a training, while the training thread embeds (the banks need only the images); both then fit the
 * cross-validation's fold models, and match the checks of the found-mark odds and of the evaluation,
 * each taking the next when free. Both are deterministic, so the results are those of one thread.
 * Without a helper (`threads: 1`) everything runs on the caller's thread, and so does what a failed
 * helper leaves (a training never fails for its helper).
 */
export class TrainingHelper<T extends Image> {
  /** The helper; gone once it failed (the rest of the work then runs here). */
  private worker?: Worker;
  private readonly replies = new Map<number, (reply: Reply) => void>();
  private nextId = 1;
  private marks?: MarkBanks<T>;
  /** This thread's matching, against the banks once they are trained. */
  private here?: Agree<T>;
  private bankIndex = new Map<T, number>();
  private readonly queue: Job<T>[] = [];
  /** Checks the helper could not answer, for this thread. */
  private readonly retries: Job<T>[] = [];
  private helperBusy = 0;
  private mainBusy = false;

  constructor(
    private readonly keypointsOf: KeypointsOf,
    options: { threads: 1 | 2; keypointsDir?: string },
  ) {
    if (options.threads === 2) {
      this.worker = spawnWorker('training-helper', { keypointsDir: options.keypointsDir });
      this.worker.on('message', (reply: Reply) => this.replies.get(reply.id)?.(reply));
      this.worker.on('error', (err) => this.failAll(err));
      this.worker.on('exit', (code) => this.failAll(new Error(`exited with code ${code}`)));
    }
  }

  /** The banks of `images` (trainMarkBanks), built by the helper when there is one. */
  async trainBanks(images: readonly T[], labels: readonly string[], progress: (done: number, total: number) => void): Promise<MarkBanks<T>> {
    if (!this.worker) return (this.marks = await trainMarkBanks(images, labels, this.keypointsOf, progress));
    const chosen = bankedImages(images, labels).flat();
    // Own copies, transferred: a view into a larger buffer would clone all of it.
    const copies = chosen.map((image) => ({ key: image.key, label: image.label, bytes: new Uint8Array(image.bytes) }));
    let reply: Reply;
    try {
      reply = await this.ask({ train: { images: copies, labels: [...labels] } }, copies.map((c) => c.bytes.buffer as ArrayBuffer), (r) => r.progress && progress(r.progress.done, r.progress.total));
    } catch {
      return (this.marks = await trainMarkBanks(images, labels, this.keypointsOf, progress));
    }
    const trained = reply.trained!;
    const marks: MarkBanks<T> = { banks: trained.banks, slot: new Map(), keypoints: new Map(), ownAgreement: new Map() };
    chosen.forEach((image, i) => {
      const slot = trained.slots[i];
      if (slot === null || slot === undefined) return; // unreadable: not banked
      this.bankIndex.set(image, i);
      marks.slot.set(image, slot);
      marks.keypoints.set(image, trained.keypoints[i]!);
      const own = trained.own[i];
      if (own !== null && own !== undefined) marks.ownAgreement.set(image, own);
    });
    return (this.marks = marks);
  }

  /** The mark check's agreement (Agree in mark-training.ts), on whichever thread is free first. */
  readonly agree: Agree<T> = (image, top, leaveOut) =>
    new Promise((resolve, reject) => {
      if (!this.marks) throw new Error('TrainingHelper: the banks are not trained yet');
      this.queue.push({ image, top, leaveOut, resolve, reject });
      this.pump();
    });

  private pump(): void {
    while (this.worker && this.helperBusy < HELPER_IN_FLIGHT && this.queue.length > 0) this.onHelper(this.queue.shift()!);
    if (!this.mainBusy && this.retries.length + this.queue.length > 0) void this.onMain((this.retries.shift() ?? this.queue.shift())!);
  }

  private async onMain(job: Job<T>): Promise<void> {
    this.mainBusy = true;
    try {
      this.here ??= agreeLocally(this.marks!, this.keypointsOf);
      job.resolve(await this.here(job.image, job.top, job.leaveOut));
    } catch (err) {
      job.reject(err instanceof Error ? err : new Error(String(err)));
    }
    // Let the helper's replies in before the next match (each takes a few milliseconds).
    await new Promise((resolve) => setImmediate(resolve));
    this.mainBusy = false;
    this.pump();
  }

  private onHelper(job: Job<T>): void {
    this.helperBusy++;
    const banked = this.bankIndex.get(job.image);
    const bytes = banked === undefined ? new Uint8Array(job.image.bytes) : undefined;
    this.ask({ check: { bytes, banked, top: job.top, leaveOut: job.leaveOut } }, bytes ? [bytes.buffer as ArrayBuffer] : [])
      .then(
        (r) => job.resolve(r.agreement!),
        () => this.retries.push(job),
      )
      .finally(() => {
        this.helperBusy--;
        this.pump();
      });
  }

  /**
   * The held-out answers of every fold task (foldPredictions), in task order: this thread and the
   * helper each take the next task when free. Results do not depend on which thread fitted a fold.
   */
  async foldPredictions(problem: FoldProblem, tasks: readonly FoldTask[], progress: (done: number) => void): Promise<HeldOut[][]> {
    const results: HeldOut[][] = new Array(tasks.length);
    const retries: number[] = [];
    let next = 0;
    let done = 0;
    const finish = (i: number, answers: HeldOut[]) => {
      results[i] = answers;
      progress(++done);
    };
    const here = async () => {
      for (let i = retries.shift() ?? next++; i < tasks.length; i = retries.shift() ?? next++) {
        finish(i, await foldPredictions(problem, tasks[i]!));
        // Let the helper's replies in, so it is handed its next task without waiting for this one's.
        await new Promise((resolve) => setImmediate(resolve));
      }
    };
    const onHelper = async () => {
      // Copies of the familiarity rows: views of the full rows would clone all of each.
      const sent = this.ask({ folds: { ...problem, familiarity: problem.familiarity.map((r) => r.slice()) } }, []);
      try {
        await sent;
        while (next < tasks.length) {
          const i = next++;
          try {
            finish(i, (await this.ask({ fold: tasks[i]! }, [])).heldOut!);
          } catch {
            retries.push(i);
            return;
          }
        }
      } catch {
        // the helper is gone: this thread fits the rest
      }
    };
    await Promise.all([here(), this.worker ? onHelper() : undefined]);
    // A task the helper dropped after this thread had run out of tasks.
    for (const i of retries.splice(0)) finish(i, await foldPredictions(problem, tasks[i]!));
    return results;
  }

  private ask(request: Omit<HelperRequest, 'id'>, transfer: ArrayBuffer[], onProgress?: (reply: Reply) => void): Promise<Reply> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      if (!this.worker) return reject(new Error('mark check: the helper thread is gone'));
      this.replies.set(id, (reply) => {
        if (reply.progress) return onProgress?.(reply);
        this.replies.delete(id);
        if (reply.error !== undefined) reject(new Error(`mark check: ${reply.error}`));
        else resolve(reply);
      });
      this.worker.postMessage({ id, ...request }, transfer);
    });
  }

  private failAll(err: Error): void {
    this.worker = undefined;
    for (const settle of this.replies.values()) settle({ id: 0, error: `helper thread failed: ${err.message}` });
    this.replies.clear();
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }
}
