import { reviewSummary } from './review-summary.use-case';
import type { ServiceClient } from '../infra/service-client';

const NOW = new Date('2026-12-01T12:00:00Z');
const loop = (name: string, extra: Record<string, unknown> = {}) => ({ name, status: 'completed', imageKey: `images_for_detection/${name}.jpg`, guess: null, createdAt: '2026-12-01T08:00:00Z', ...extra });

/** The labeler's review API as a table of answers; records which paths were asked. */
function labelerAnswering(answers: Record<string, Array<{ reviewerId: string; label: string }>>) {
  const asked: string[] = [];
  const client: ServiceClient = {
    async get<T>(path: string): Promise<T> {
      asked.push(path);
      if (path.startsWith('/api/human-loops?status=pending')) return { items: [loop('p2', { status: 'pending', createdAt: '2026-12-01T10:00:00Z' }), loop('p1', { status: 'pending', createdAt: '2026-12-01T09:00:00Z' })] } as T;
      if (path.startsWith('/api/human-loops?status=completed')) {
        return {
          items: [
            loop('a', { completedAt: '2026-12-01T09:00:00Z', answer: { label: 'cat', answerCount: 3, answeredAt: '2026-12-01T09:00:00Z' } }),
            loop('b', { completedAt: '2026-12-01T10:00:00Z', answer: { label: 'dog', answerCount: 1, answeredAt: '2026-12-01T10:00:00Z' } }),
            loop('old', { completedAt: '2026-11-30T10:00:00Z', answer: { label: 'dog', answerCount: 1, answeredAt: '2026-11-30T10:00:00Z' } }),
          ],
        } as T;
      }
      if (path === '/api/labels') return { labels: [{ name: 'cat', images: 30, inTrainingSet: true, declared: false, waiting: false }, { name: 'fox', images: 1, inTrainingSet: true, declared: true, waiting: true }] } as T;
      const name = path.split('/').pop()!;
      return { task: { answers: answers[name] ?? [] } } as T;
    },
    post: async () => {
      throw new Error('the summary never writes');
    },
  };
  return { client, asked };
}

describe('reviewSummary', () => {
  it("counts today's answers per label and reviewer, and agreement on loops several reviewers answered", async () => {
    const { client, asked } = labelerAnswering({
      a: [{ reviewerId: 'alice', label: 'cat' }, { reviewerId: 'bob', label: 'dog' }, { reviewerId: 'carol', label: 'cat' }],
      b: [{ reviewerId: 'alice', label: 'dog' }],
    });
    const summary = reviewSummary(client);
    const s = await summary(NOW);
    expect(s.pending).toMatchObject({ count: 2, truncated: false });
    expect(s.pending.oldest.map((l) => l.name)).toEqual(['p1', 'p2']);
    expect(s.answeredToday).toMatchObject({ count: 2, byLabel: { cat: 1, dog: 1 } });
    expect(s.answeredToday.recent.map((l) => l.name)).toEqual(['b', 'a']);
    expect(s.reviewers).toEqual([
      { reviewer: 'alice', answers: 2, shared: 1, agreed: 1 },
      { reviewer: 'bob', answers: 1, shared: 1, agreed: 0 },
      { reviewer: 'carol', answers: 1, shared: 1, agreed: 1 },
    ]);
    expect(s.agreement).toEqual({ loops: 1, answers: 3, agreed: 2 });
    expect(s.waitingLabels.map((l) => l.name)).toEqual(['fox']);
    expect(asked.filter((p) => p.startsWith('/api/human-loops/')).sort()).toEqual(['/api/human-loops/a', '/api/human-loops/b']);

    // a completed loop never changes: its answers are not fetched again
    await summary(NOW);
    expect(asked.filter((p) => p.startsWith('/api/human-loops/'))).toHaveLength(2);
  });
});
