import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '@relabel/ports';
import { describeModelServiceConformance, groundTruthLine, waitForStatus, writeSyntheticDataset } from '@relabel/ports/testing';
import { createFsObjectStore } from '../object-store/fs-object-store';
import { createLocalModelService } from './local-model-service.adapter';
import { statusKey } from './version-store';

// One cache for every test run: the backbone is converted once, embeddings are reused.
const cacheDir = join(tmpdir(), 'relabel-model-cache');
jest.setTimeout(120_000);

function fixture(extra: { leaseMs?: number } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'relabel-model-'));
  const store = createFsObjectStore({ root: join(dir, 'bucket'), bucket: 'test-bucket' });
  const service = createLocalModelService({ store, logger: silentLogger }, { cacheDir, heartbeatMs: 200, ...extra });
  return {
    service,
    store,
    dir,
    async cleanup() {
      await service.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

describeModelServiceConformance('local (MobileNetV2 + softmax head)', async () => fixture());

describe('local model service', () => {
  it('learns: macro-F1 on held-out images is far above chance, and a second instance serves the version', async () => {
    const fx = fixture();
    try {
      const labels = ['circle', 'square', 'triangle', 'star', 'hexagon'];
      const data = await writeSyntheticDataset(fx.store, { prefix: 'learn', labels, train: 12, test: 6, seed: 21 });
      await fx.service.createVersion({ version: 'learn-1', ...data });
      const trained = await waitForStatus(fx.service, 'learn-1', ['TRAINING_COMPLETED', 'TRAINING_FAILED'], 100_000);
      expect(trained.statusMessage).not.toMatch(/stopped/);
      // Chance is 0.2 for five balanced labels.
      expect(trained.evaluation!.f1).toBeGreaterThan(0.7);
      // 6 test images per label are too few to carry a gate: every one of the 90 labelled images is
      // predicted once by a model that did not see it (5-fold cross-validation).
      expect(trained.evaluation).toMatchObject({ method: 'cross-validation', folds: 5, testImages: 90 });
      expect(trained.evaluation!.confusion!.matrix.flat().reduce((a, b) => a + b, 0)).toBe(90);
      expect(trained.evaluation!.f1Spread).toBeGreaterThanOrEqual(0);
      const summary = JSON.parse((await fx.store.get('evaluation/learn-1/summary.json')).body.toString());
      expect(summary).toMatchObject({ version: 'learn-1', aggregate: 'macro', testImages: 90, method: 'cross-validation' });
      expect(summary.perLabel[0]).toEqual(expect.objectContaining({ threshold: expect.any(Number), precision: expect.any(Number) }));

      await fx.service.startVersion('learn-1', 2);
      await waitForStatus(fx.service, 'learn-1', ['RUNNING'], 30_000);
      // Another process (here: another instance on the same store) sees and serves the version.
      const other = createLocalModelService({ store: fx.store, logger: silentLogger }, { cacheDir });
      try {
        const star = data.images.filter((i) => i.label === 'star').slice(-3);
        let correct = 0;
        for (const image of star) if ((await other.detect('learn-1', { bytes: image.body }, { maxResults: 1 }))[0]!.name === 'star') correct++;
        expect(correct).toBeGreaterThanOrEqual(2);
      } finally {
        await other.close();
      }
    } finally {
      await fx.cleanup();
    }
  });

  it('marks a training whose process died (stale lease) as failed instead of leaving it in progress', async () => {
    const fx = fixture({ leaseMs: 1000 });
    try {
      const old = new Date(Date.now() - 5000).toISOString();
      const record = { version: 'ghost', status: 'TRAINING_IN_PROGRESS', createdAt: old, trainManifestKey: 'm/t', testManifestKey: 'm/e', lease: { owner: 'dead-host:1', heartbeatAt: old } };
      await fx.store.put(statusKey('ghost'), Buffer.from(JSON.stringify(record)));
      const [info] = await fx.service.describeVersions(['ghost']);
      expect(info).toMatchObject({ status: 'TRAINING_FAILED', statusMessage: expect.stringMatching(/no heartbeat/) });
    } finally {
      await fx.cleanup();
    }
  });

  it('refuses a second training while one is in flight, answers the same version idempotently, lists skipped items', async () => {
    const fx = fixture();
    try {
      const data = await writeSyntheticDataset(fx.store, { prefix: 'busy', labels: ['a', 'b'], train: 4, test: 2, seed: 3 });
      // Unreadable items are skipped and listed, not fatal: a corrupt JPEG, a missing key, a bad line.
      await fx.store.put('images_labeled_by_folder/a/broken.jpg', Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 1, 2]));
      const manifest = (await fx.store.get(data.trainManifestKey)).body.toString();
      const extra = [groundTruthLine('test-bucket', 'images_labeled_by_folder/a/broken.jpg', 'a'), groundTruthLine('test-bucket', 'images_labeled_by_folder/a/gone.jpg', 'a'), '{oops'];
      await fx.store.put(data.trainManifestKey, Buffer.from(manifest + extra.join('\n') + '\n'));
      await fx.service.createVersion({ version: 'busy-1', ...data });
      await expect(fx.service.createVersion({ version: 'busy-2', ...data })).rejects.toMatchObject({ code: 'TRAINING_IN_FLIGHT' });
      await expect(fx.service.createVersion({ version: 'busy-1', ...data })).resolves.toMatchObject({ version: 'busy-1' });
      await expect(fx.service.createVersion({ version: '../evil', ...data })).rejects.toMatchObject({ code: 'REQUEST_INVALID' });
      const done = await waitForStatus(fx.service, 'busy-1', ['TRAINING_COMPLETED', 'TRAINING_FAILED'], 60_000);
      expect(done.status).toBe('TRAINING_COMPLETED');
      expect(done.statusMessage).toMatch(/3 item\(s\) skipped: .*(broken|gone)/);
      expect(done.trainImages).toBe(8);
    } finally {
      await fx.cleanup();
    }
  });
});
