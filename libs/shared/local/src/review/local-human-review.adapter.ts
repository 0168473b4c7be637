import { isValidHumanLoopName, RelabelError } from '@relabel/contracts';
import type { HumanLoop, HumanLoopStart, HumanLoopStatus, HumanReview, Logger, ObjectStore, ReviewWorkbench } from '@relabel/ports';
import { LoopFileStore } from './loop-file-store';
import { LoopRecord, toHumanLoop } from './loop-record';
import { LocalReviewWorkbench, ReviewContext } from './review-workbench.adapter';

export interface LocalHumanReviewOptions {
  /** directory holding the loops; shared by every process of the installation */
  dir: string;
  /** flow name used in output keys (`a2i-human-loop-data/<flow>/…`) */
  flowName: string;
  /** answers a loop needs (≥ 1); with several, the majority wins and a tie asks for one more */
  answersPerLoop: number;
  /** how long a claimed task stays with one reviewer; default 5 minutes */
  leaseMs?: number;
  /** a pending loop older than this fails as expired (like an A2I task lifetime); default never */
  loopLifetimeMs?: number;
  /** clock, for tests */
  now?: () => Date;
}

/**
 * The embedded HumanReview service: loops live as files under `opts.dir` (a Redis flush loses
 * none), reviewers work through `workbench`, and a completed loop's A2I-format output.json is put
 * in the object store, where the labeler's inbox picks it up exactly as on AWS.
 */
export function createLocalHumanReview(
  deps: { store: ObjectStore; logger: Logger },
  opts: LocalHumanReviewOptions,
): HumanReview & { workbench: ReviewWorkbench; close(): Promise<void> } {
  if (!Number.isInteger(opts.answersPerLoop) || opts.answersPerLoop < 1) {
    throw new RelabelError('CONFIG_INVALID', `answersPerLoop must be an integer ≥ 1, got ${opts.answersPerLoop}`);
  }
  const ctx: ReviewContext = {
    files: new LoopFileStore(opts.dir, deps.logger),
    store: deps.store,
    logger: deps.logger.child({ component: 'local-human-review' }),
    flowName: opts.flowName,
    leaseMs: opts.leaseMs ?? 5 * 60_000,
    loopLifetimeMs: opts.loopLifetimeMs,
    now: opts.now ?? (() => new Date()),
  };
  const workbench = new LocalReviewWorkbench(ctx);
  return {
    workbench,
    startHumanLoop: (input) => startHumanLoop(ctx, opts.answersPerLoop, input),
    describeHumanLoop: async (name) => {
      const record = isValidHumanLoopName(name) ? await ctx.files.read(name) : null;
      return record ? toHumanLoop(await workbench.expireIfDue(record)) : null;
    },
    listHumanLoops: (options) => listHumanLoops(ctx, options ?? {}),
    close: async () => undefined,
  };
}

async function startHumanLoop(ctx: ReviewContext, answersPerLoop: number, input: HumanLoopStart): Promise<{ loop: HumanLoop; created: boolean }> {
  if (!isValidHumanLoopName(input.name)) {
    throw new RelabelError('REVIEW_INVALID_LOOP_NAME', `human loop name ${JSON.stringify(input.name).slice(0, 80)} is not valid for A2I`);
  }
  if (!input.imageKey) throw new RelabelError('REQUEST_INVALID', 'a human loop needs the image key');
  return ctx.files.withLock(input.name, async () => {
    const existing = await ctx.files.read(input.name);
    if (existing) {
      // repairs the pending marker if a crash left the record without it
      if (existing.status === 'pending') await ctx.files.write(existing, existing.status);
      return { loop: toHumanLoop(existing), created: false };
    }
    const record: LoopRecord = {
      name: input.name,
      status: 'pending',
      imageKey: input.imageKey,
      guess: input.guess,
      createdAt: ctx.now().toISOString(),
      answersRequired: answersPerLoop,
      answers: [],
      leases: [],
      skips: [],
    };
    await ctx.files.write(record, null);
    ctx.logger.info({ loop: record.name, imageKey: record.imageKey }, 'human loop started');
    return { loop: toHumanLoop(record), created: true };
  });
}

async function listHumanLoops(
  ctx: ReviewContext,
  options: { status?: HumanLoopStatus; cursor?: string; limit?: number },
): Promise<{ items: HumanLoop[]; nextCursor?: string }> {
  const limit = Math.max(1, Math.min(options.limit ?? 100, 1000));
  const names = (await ctx.files.names(options.status)).filter((n) => !options.cursor || n > options.cursor);
  const page = names.slice(0, limit);
  const records = options.status
    ? await ctx.files.readByStatus(options.status, page)
    : (await Promise.all(page.map((n) => ctx.files.read(n)))).filter((r): r is LoopRecord => r !== null);
  const result: { items: HumanLoop[]; nextCursor?: string } = { items: records.map(toHumanLoop) };
  if (names.length > limit) result.nextCursor = page[page.length - 1];
  return result;
}
