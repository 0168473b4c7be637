import { assertValidAnswer, humanLoopOutputKey, majorityLabel, RelabelError } from '@relabel/contracts';
import type { Logger, ObjectStore, ReviewClaim, ReviewProgress, ReviewSubmitOutcome, ReviewTask, ReviewWorkbench } from '@relabel/ports';
import type { LoopFileStore } from './loop-file-store';
import { activeLeases, freeSlots, hasAnswered, LoopRecord, skippedAt, toReviewTask } from './loop-record';
import { buildLoopOutput } from './loop-output';
import { PendingOrder } from './pending-order';

export interface ReviewContext {
  files: LoopFileStore;
  store: ObjectStore;
  logger: Logger;
  flowName: string;
  leaseMs: number;
  loopLifetimeMs?: number;
  now: () => Date;
}

export class LocalReviewWorkbench implements ReviewWorkbench {
  private readonly order: PendingOrder;

  constructor(private readonly ctx: ReviewContext) {
    this.order = new PendingOrder(ctx.files);
  }

  async claimNext(reviewerId: string): Promise<ReviewClaim | null> {
    const nowMs = this.ctx.now().getTime();
    const skipped: Array<{ name: string; at: number }> = [];
    for (const name of await this.order.names(reviewerId)) {
      const record = await this.ctx.files.read(name);
      if (!record || (await this.expireIfDue(record)).status !== 'pending') continue;
      if (hasAnswered(record, reviewerId) || freeSlots(record, nowMs, reviewerId) <= 0) continue;
      const holding = activeLeases(record, nowMs).some((l) => l.reviewerId === reviewerId);
      const skippedWhen = skippedAt(record, reviewerId);
      // skipped tasks wait until nothing else is left for this reviewer
      if (!holding && skippedWhen > Number.NEGATIVE_INFINITY) {
        skipped.push({ name, at: skippedWhen });
        continue;
      }
      const claim = await this.leaseLocked(name, reviewerId);
      if (claim) return claim;
    }
    for (const { name } of skipped.sort((a, b) => a.at - b.at)) {
      const claim = await this.leaseLocked(name, reviewerId);
      if (claim) return claim;
    }
    this.order.holds(reviewerId, null);
    return null;
  }

  private async leaseLocked(name: string, reviewerId: string): Promise<ReviewClaim | null> {
    const claim = await this.ctx.files.withLock(name, () => this.lease(name, reviewerId));
    if (claim) this.order.holds(reviewerId, name);
    return claim;
  }

  async release(name: string, reviewerId: string, options: { skip?: boolean } = {}): Promise<void> {
    await this.ctx.files.withLock(name, async () => {
      const record = await this.mustRead(name);
      if (record.status !== 'pending') return;
      const next: LoopRecord = { ...record, leases: record.leases.filter((l) => l.reviewerId !== reviewerId) };
      if (options.skip) {
        next.skips = [...record.skips.filter((s) => s.reviewerId !== reviewerId), { reviewerId, at: this.ctx.now().toISOString() }];
      }
      await this.ctx.files.write(next, record.status);
    });
  }

  async submitAnswer(name: string, reviewerId: string, label: string): Promise<{ task: ReviewTask; outcome: ReviewSubmitOutcome }> {
    assertValidAnswer(label);
    return this.ctx.files.withLock(name, async () => {
      const record = await this.mustRead(name);
      if (record.status !== 'pending') throw new RelabelError('REVIEW_LOOP_CLOSED', `human loop ${name} is ${record.status}`);
      if (hasAnswered(record, reviewerId)) throw new RelabelError('REVIEW_LOOP_CLOSED', `${reviewerId} already answered human loop ${name}`);
      const now = this.ctx.now();
      const lease = record.leases.find((l) => l.reviewerId === reviewerId);
      const next: LoopRecord = {
        ...record,
        answers: [...record.answers, { reviewerId, label, submittedAt: now.toISOString(), ...(lease ? { acceptedAt: lease.acceptedAt } : {}) }],
        leases: record.leases.filter((l) => l.reviewerId !== reviewerId),
        skips: record.skips.filter((s) => s.reviewerId !== reviewerId),
      };
      const outcome = await this.settle(next, now);
      await this.ctx.files.write(next, record.status);
      await this.ctx.files.appendAnswerLog({ reviewerId, loop: name, label, at: now });
      return { task: toReviewTask(next), outcome };
    });
  }

  async getTask(name: string): Promise<ReviewTask | null> {
    const record = await this.ctx.files.read(name);
    return record ? toReviewTask(await this.expireIfDue(record)) : null;
  }

  async progress(reviewerId: string): Promise<ReviewProgress> {
    const [pending, today] = await Promise.all([this.ctx.files.names('pending'), this.ctx.files.answersOn(this.ctx.now(), reviewerId)]);
    return { pending: pending.length, doneToday: today.all, doneTodayByReviewer: today.byReviewer };
  }

  /** Fails a pending loop older than the configured lifetime (A2I expires loops the same way). */
  async expireIfDue(record: LoopRecord): Promise<LoopRecord> {
    const lifetime = this.ctx.loopLifetimeMs;
    if (record.status !== 'pending' || lifetime === undefined) return record;
    if (this.ctx.now().getTime() - Date.parse(record.createdAt) < lifetime) return record;
    return this.ctx.files.withLock(record.name, async () => {
      const fresh = await this.mustRead(record.name);
      if (fresh.status !== 'pending') return fresh;
      const expired: LoopRecord = { ...fresh, status: 'failed', failureReason: 'expired', completedAt: this.ctx.now().toISOString(), leases: [] };
      await this.ctx.files.write(expired, fresh.status);
      this.ctx.logger.warn({ loop: fresh.name }, 'human loop expired without enough answers');
      return expired;
    });
  }

  /** Decides the loop once the required answers are in; writes output.json before the record. */
  private async settle(next: LoopRecord, now: Date): Promise<ReviewSubmitOutcome> {
    if (next.answers.length < next.answersRequired) return 'awaiting-answers';
    const result = majorityLabel(next.answers.map((a) => a.label));
    if (result.kind !== 'winner') {
      next.answersRequired = next.answers.length + 1;
      this.ctx.logger.info({ loop: next.name, answers: next.answers.length }, 'tied answers: one more answer requested');
      return 'tied';
    }
    next.status = 'completed';
    next.completedAt = now.toISOString();
    next.outputKey = humanLoopOutputKey(this.ctx.flowName, next.name, now);
    next.answer = { label: result.label, answerCount: next.answers.length, answeredAt: next.completedAt };
    next.leases = [];
    // A crash between the two writes leaves the loop pending with an output already in the store;
    // answering again writes a second output for the same loop, which ingestion de-duplicates.
    await this.ctx.store.put(next.outputKey, Buffer.from(JSON.stringify(buildLoopOutput(next, this.ctx.flowName, this.ctx.store.bucket), null, 2)), {
      contentType: 'application/json',
    });
    this.ctx.logger.info({ loop: next.name, label: result.label, outputKey: next.outputKey }, 'human loop completed');
    return 'completed';
  }

  private async lease(name: string, reviewerId: string): Promise<ReviewClaim | null> {
    const record = await this.ctx.files.read(name);
    const now = this.ctx.now();
    const nowMs = now.getTime();
    if (!record || record.status !== 'pending' || hasAnswered(record, reviewerId) || freeSlots(record, nowMs, reviewerId) <= 0) return null;
    const own = record.leases.find((l) => l.reviewerId === reviewerId && Date.parse(l.expiresAt) > nowMs);
    const lease = { reviewerId, acceptedAt: own?.acceptedAt ?? now.toISOString(), expiresAt: new Date(nowMs + this.ctx.leaseMs).toISOString() };
    const next: LoopRecord = { ...record, leases: [...activeLeases(record, nowMs, reviewerId), lease] };
    await this.ctx.files.write(next, record.status);
    return { task: toReviewTask(next), leaseExpiresAt: lease.expiresAt, skippedBefore: skippedAt(record, reviewerId) > Number.NEGATIVE_INFINITY };
  }

  private async mustRead(name: string): Promise<LoopRecord> {
    const record = await this.ctx.files.read(name);
    if (!record) throw new RelabelError('REVIEW_LOOP_NOT_FOUND', `no human loop named ${name}`);
    return record;
  }
}
