import type { ReviewCapture, ReviewReason } from '@relabel/contracts';
import type { DetectedLabel, HumanReview } from '@relabel/ports';
import { humanLoopNameFor } from '../domain/human-loop-name';
import type { ReviewCap } from '../domain/review-cap';

export interface CaptureDeps {
  humanReview: Pick<HumanReview, 'startHumanLoop' | 'describeHumanLoop'>;
  reviewCap: ReviewCap;
  /** told about every capture decision (metrics) */
  observeCapture?: (review: ReviewCapture) => void;
  now?: () => Date;
}

export interface CaptureRequest {
  imageKey: string;
  content: Buffer;
  labels: DetectedLabel[];
  reason: ReviewReason;
}

export interface Captured {
  humanLoop: { name: string } | null;
  review: ReviewCapture;
}

/**
 * Sends an image to review without ever giving reviewers the same content twice: the loop is named
 * after the bytes, so an image whose content already has a loop (pending or answered) reuses it —
 * its answer, or the pending loop it is attached to. Only a new loop counts against the hourly cap;
 * an operator's manual request is never capped (the cap guards against bursts, not against the
 * operator).
 */
export async function captureForReview(deps: CaptureDeps, request: CaptureRequest): Promise<Captured> {
  const captured = await capture(deps, request);
  deps.observeCapture?.(captured.review);
  return captured;
}

async function capture(deps: CaptureDeps, request: CaptureRequest): Promise<Captured> {
  const name = humanLoopNameFor(request.content);
  const { reason } = request;
  if (await deps.humanReview.describeHumanLoop(name)) return { humanLoop: { name }, review: { reason, outcome: 'reused' } };
  const at = deps.now?.() ?? new Date();
  const capped = reason !== 'manual';
  if (capped && !(await deps.reviewCap.tryTake(at))) {
    return { humanLoop: null, review: { reason, outcome: 'cap_reached', note: 'not captured: cap reached' } };
  }
  const top = request.labels[0];
  let created: boolean;
  try {
    ({ created } = await deps.humanReview.startHumanLoop({
      name,
      imageKey: request.imageKey,
      guess: top ? { label: top.name, confidence: top.confidence } : null,
    }));
  } catch (err) {
    if (capped) await deps.reviewCap.giveBack(at).catch(() => undefined);
    throw err;
  }
  // Another detection of the same bytes won the race between describe and start.
  if (!created && capped) await deps.reviewCap.giveBack(at).catch(() => undefined);
  return { humanLoop: { name }, review: { reason, outcome: created ? 'opened' : 'reused' } };
}
