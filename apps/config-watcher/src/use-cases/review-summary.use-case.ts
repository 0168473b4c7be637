import type { ServiceClient } from '../infra/service-client';

interface Loop {
  name: string;
  status: string;
  imageKey: string;
  guess: { label: string; confidence: number } | null;
  createdAt: string;
  completedAt?: string;
  answer?: { label: string; answerCount: number; answeredAt: string };
}
interface LoopPage {
  items: Loop[];
  nextCursor?: string;
}
interface LoopDetail {
  task: { answers: Array<{ reviewerId: string; label: string }> } | null;
}
interface Labels {
  labels: Array<{ name: string; images: number; inTrainingSet: boolean; declared: boolean; waiting: boolean }>;
}

export interface ReviewerStats {
  reviewer: string;
  answers: number;
  /** answers on loops several reviewers answered */
  shared: number;
  /** of those, how many matched the final answer */
  agreed: number;
}

export interface ReviewSummary {
  pending: { count: number; truncated: boolean; oldest: Loop[] };
  answeredToday: { count: number; byLabel: Record<string, number>; recent: Loop[] };
  reviewers: ReviewerStats[];
  /** loops with more than one answer today and the share of answers that matched the final label */
  agreement: { loops: number; answers: number; agreed: number };
  waitingLabels: Labels['labels'];
  labels: Labels['labels'];
}

const MAX_DETAILED = 200;

/**
 * The reviews page, from the labeler's review API: pending and today's answered loops, and who
 * answered what. A completed loop never changes, so its answers are fetched once and kept.
 */
export function reviewSummary(labeler: ServiceClient) {
  const answersOf = new Map<string, Array<{ reviewerId: string; label: string }>>();
  return async (now: Date): Promise<ReviewSummary> => {
    const [pending, completed, labels] = await Promise.all([
      labeler.get<LoopPage>('/api/human-loops?status=pending&limit=1000'),
      labeler.get<LoopPage>('/api/human-loops?status=completed&limit=1000'),
      labeler.get<Labels>('/api/labels'),
    ]);
    const day = now.toISOString().slice(0, 10);
    const today = completed.items.filter((l) => l.completedAt?.startsWith(day)).sort((a, b) => (b.completedAt! < a.completedAt! ? -1 : 1));
    const byLabel: Record<string, number> = {};
    for (const loop of today) if (loop.answer) byLabel[loop.answer.label] = (byLabel[loop.answer.label] ?? 0) + 1;

    const detailed = today.slice(0, MAX_DETAILED);
    await Promise.all(
      detailed
        .filter((l) => !answersOf.has(l.name))
        .map(async (l) => answersOf.set(l.name, (await labeler.get<LoopDetail>(`/api/human-loops/${l.name}`)).task?.answers ?? [])),
    );
    // keep only today's loops: yesterday's are no longer shown
    const shown = new Set(detailed.map((l) => l.name));
    for (const name of answersOf.keys()) if (!shown.has(name)) answersOf.delete(name);
    const reviewers = new Map<string, ReviewerStats>();
    const agreement = { loops: 0, answers: 0, agreed: 0 };
    for (const loop of detailed) {
      const answers = answersOf.get(loop.name) ?? [];
      const shared = answers.length > 1;
      if (shared) agreement.loops += 1;
      for (const a of answers) {
        const stats = reviewers.get(a.reviewerId) ?? { reviewer: a.reviewerId, answers: 0, shared: 0, agreed: 0 };
        stats.answers += 1;
        if (shared) {
          const agreed = a.label === loop.answer?.label;
          stats.shared += 1;
          stats.agreed += agreed ? 1 : 0;
          agreement.answers += 1;
          agreement.agreed += agreed ? 1 : 0;
        }
        reviewers.set(a.reviewerId, stats);
      }
    }
    return {
      pending: { count: pending.items.length, truncated: Boolean(pending.nextCursor), oldest: [...pending.items].sort((a, b) => (a.createdAt < b.createdAt ? -1 : 1)).slice(0, 12) },
      answeredToday: { count: today.length, byLabel, recent: today.slice(0, 12) },
      reviewers: [...reviewers.values()].sort((a, b) => b.answers - a.answers),
      agreement,
      waitingLabels: labels.labels.filter((l) => l.waiting),
      labels: labels.labels,
    };
  };
}
