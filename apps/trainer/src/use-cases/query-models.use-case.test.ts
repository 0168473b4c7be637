import type { ModelService, ModelVersionInfo } from '@relabel/ports';
import { RunRecords } from '../infra/run-records.repository';
import { MemoryObjectStore, MemoryStateStore } from '../testing/memory-ports';
import { listModels } from './query-models.use-case';

/** A model service that only describes what it is given. */
function describing(versions: ModelVersionInfo[]): ModelService {
  return { describeVersions: async () => versions } as unknown as ModelService;
}

describe('the model view', () => {
  const evaluation = { f1: 0.9, precision: 0.9, recall: 0.9, perLabel: [], testImages: 4, confusion: { labels: ['a', 'b'], matrix: [[2, 0], [1, 1]] } };

  it('carries the confusion matrix, and the training progress only while the version trains', async () => {
    const state = new MemoryStateStore();
    await state.set('activeModelVersion', 'v1');
    const models = describing([
      { version: 'v1', status: 'RUNNING', createdAt: '2026-01-01T00:00:00Z', evaluation },
      { version: 'v2', status: 'TRAINING_IN_PROGRESS', createdAt: '2026-01-02T00:00:00Z', progress: { stage: 'embedding train images', done: 10, total: 26 } },
      { version: 'v3', status: 'TRAINING_FAILED', createdAt: '2026-01-03T00:00:00Z', progress: { stage: 'training head', done: 0, total: 1 } },
    ]);
    const views = await listModels({ models, state, runs: new RunRecords(new MemoryObjectStore()) });
    expect(views.map((v) => [v.version, v.live, v.progress ?? null, v.confusion ?? null])).toEqual([
      ['v3', false, null, null],
      ['v2', false, { stage: 'embedding train images', done: 10, total: 26 }, null],
      ['v1', true, null, evaluation.confusion],
    ]);
  });
});
