import { defaultParameters, RelabelError } from '@relabel/contracts';
import { consoleOverview } from './console-overview.use-case';
import type { ServiceClient } from '../infra/service-client';
import type { SystemStatus } from './get-status.use-case';

const NOW = new Date('2026-12-01T12:30:00Z');
const client = (answers: Record<string, unknown>): ServiceClient => ({
  async get<T>(path: string): Promise<T> {
    const key = Object.keys(answers).find((k) => path.startsWith(k));
    if (!key) throw new RelabelError('DEPENDENCY_UNAVAILABLE', `the test service has no ${path}`);
    return answers[key] as T;
  },
  post: async () => {
    throw new Error('the overview never writes');
  },
});
const run = (id: string, status: string, version: string, updatedAt: string) => ({ id, kind: 'training', status, version, createdAt: updatedAt, updatedAt, steps: [] });

describe('consoleOverview', () => {
  it('joins the live model with when it was deployed, and the run in flight with its training progress', async () => {
    const trainer = client({
      '/models': {
        items: [
          { version: 'v2', status: 'TRAINING_IN_PROGRESS', live: false, createdAt: '2026-12-01T12:20:00Z', progress: { stage: 'embedding train images', done: 20, total: 40 } },
          { version: 'v1', status: 'RUNNING', live: true, createdAt: '2026-12-01T10:00:00Z', f1: 0.91, labels: ['cat', 'dog'] },
        ],
      },
      '/trainings': { items: [run('v2', 'training', 'v2', '2026-12-01T12:21:00Z'), run('v1', 'deployed', 'v1', '2026-12-01T10:05:00Z')] },
    });
    const detector = client({ '/detections': { items: [{ detectedAt: '2026-12-01T12:10:00Z', humanLoop: { name: 'l' }, passed: false }, { detectedAt: '2026-12-01T11:10:00Z', humanLoop: null, passed: true }], total: 9 } });
    const o = await consoleOverview({ status: async () => ({ unavailable: [] }) as unknown as SystemStatus, parameters: defaultParameters, schedule: async () => null, trainer, detector }, NOW);
    expect(o.liveModel).toMatchObject({ version: 'v1', f1: 0.91, since: '2026-12-01T10:05:00Z' });
    expect(o.training).toMatchObject({ run: { id: 'v2' }, progress: { stage: 'embedding train images', done: 20, total: 40 } });
    expect(o.detections).toMatchObject({ counted: 2, total: 9 });
    expect(o.detections!.hours.slice(-2)).toEqual([
      { hour: '2026-12-01T11:00:00.000Z', detections: 1, sentToReview: 0 },
      { hour: '2026-12-01T12:00:00.000Z', detections: 1, sentToReview: 1 },
    ]);
    expect(o.unavailable).toEqual([]);
  });

  it('answers the rest when a service is down, naming what is missing', async () => {
    const down = client({});
    const o = await consoleOverview({ status: async () => ({ unavailable: [{ section: 'queues', message: 'redis down' }] }) as unknown as SystemStatus, parameters: defaultParameters, schedule: async () => ({ everyMs: 60_000, nextPollAt: null }), trainer: down, detector: down }, NOW);
    expect(o).toMatchObject({ liveModel: null, training: null, detections: null, schedule: { everyMs: 60_000 } });
    expect(o.unavailable.map((u) => u.section)).toEqual(['models', 'trainings', 'detections', 'queues']);
  });
});
