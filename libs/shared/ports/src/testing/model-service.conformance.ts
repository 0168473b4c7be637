import { isRelabelError } from '@relabel/contracts';
import type { ModelService, ModelStatus, ModelVersionInfo } from '../model-service.port';
import type { ObjectStore } from '../object-store.port';
import { makeSyntheticImages } from './synthetic-images';
import { describeConformance } from './conformance-suite';

/** One Ground Truth image-classification manifest line (the form the trainer writes: `groundTruthClassificationLine` in contracts). */
export function groundTruthLine(bucket: string, key: string, label: string): string {
  return JSON.stringify({
    'source-ref': `s3://${bucket}/${key}`,
    'relabel-class': 0,
    'relabel-class-metadata': { 'class-name': label, confidence: 1, 'human-annotated': 'yes', 'creation-date': '2026-01-01T00:00:00.000Z', type: 'groundtruth/image-classification' },
  });
}

/** Writes a small synthetic labelled dataset plus train/test manifests; returns their keys. */
export async function writeSyntheticDataset(store: ObjectStore, opts: { prefix: string; labels: string[]; train: number; test: number; seed: number }) {
  const images = await makeSyntheticImages({ labels: opts.labels, perLabel: opts.train + opts.test, seed: opts.seed });
  const lines = { train: [] as string[], test: [] as string[] };
  const perLabelCount = new Map<string, number>();
  for (const image of images) {
    const key = `images_labeled_by_folder/${image.label}/${opts.prefix}-${image.file}`;
    await store.put(key, image.body, { contentType: 'image/jpeg' });
    const n = perLabelCount.get(image.label) ?? 0;
    perLabelCount.set(image.label, n + 1);
    (n < opts.train ? lines.train : lines.test).push(groundTruthLine(store.bucket, key, image.label));
  }
  const trainManifestKey = `manifests/${opts.prefix}/train.manifest`;
  const testManifestKey = `manifests/${opts.prefix}/test.manifest`;
  await store.put(trainManifestKey, Buffer.from(lines.train.join('\n') + '\n'));
  await store.put(testManifestKey, Buffer.from(lines.test.join('\n') + '\n'));
  return { trainManifestKey, testManifestKey, images };
}

export interface ModelServiceFixture {
  service: ModelService;
  store: ObjectStore;
  cleanup(): Promise<void>;
}

export interface ModelServiceConformanceOptions {
  /** How long to wait for training / starting to settle. */
  settleTimeoutMs?: number;
}

export async function waitForStatus(service: ModelService, version: string, accept: ModelStatus[], timeoutMs: number): Promise<ModelVersionInfo> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [info] = await service.describeVersions([version]);
    if (info && accept.includes(info.status)) return info;
    if (Date.now() > deadline) throw new Error(`version ${version} did not reach ${accept.join('|')} (last: ${info?.status} ${info?.statusMessage ?? ''})`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function expectCode(promise: Promise<unknown>, codes: string[]): Promise<void> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!isRelabelError(err) || !codes.includes(err.code)) throw new Error(`expected ${codes.join('|')}, got ${isRelabelError(err) ? err.code : String(err)}`);
}

/** Registers the ModelService contract tests; `makeFixture` gives a fresh service and its store. */
export function describeModelServiceConformance(name: string, makeFixture: () => Promise<ModelServiceFixture>, options: ModelServiceConformanceOptions = {}): void {
  const settle = options.settleTimeoutMs ?? 60_000;
  describeConformance('ModelService', name, makeFixture, (fx) => {
    it('answers unknown versions: absent from describe, MODEL_NOT_FOUND elsewhere', async () => {
      expect(await fx().service.describeVersions(['nope-1'])).toEqual([]);
      await expectCode(fx().service.detect('nope-1', { bytes: Buffer.from('x') }), ['MODEL_NOT_FOUND']);
      await expectCode(fx().service.startVersion('nope-1', 1), ['MODEL_NOT_FOUND']);
      await expectCode(fx().service.stopVersion('nope-1'), ['MODEL_NOT_FOUND']);
    });

    it('trains, evaluates, starts, detects and stops a version', async () => {
      const labels = ['circle', 'square', 'star'];
      const data = await writeSyntheticDataset(fx().store, { prefix: 'conf-a', labels, train: 8, test: 4, seed: 11 });
      const created = await fx().service.createVersion({ version: 'conf-a', ...data });
      expect(created).toMatchObject({ version: 'conf-a', status: 'TRAINING_IN_PROGRESS' });
      await expectCode(fx().service.detect('conf-a', { bytes: data.images[0]!.body }), ['MODEL_NOT_READY']);
      const trained = await waitForStatus(fx().service, 'conf-a', ['TRAINING_COMPLETED', 'TRAINING_FAILED'], settle);
      expect(trained.status).toBe('TRAINING_COMPLETED');
      expect(trained.evaluation!.f1).toBeGreaterThanOrEqual(0);
      expect(trained.evaluation!.f1).toBeLessThanOrEqual(1);
      expect(trained.evaluation!.perLabel.map((l) => l.label).sort()).toEqual(labels);
      // Evaluated on the 12 test images, or — by a service that cross-validates small splits — on
      // out-of-sample predictions of all 36 labelled images, and then it says so.
      expect(trained.evaluation!.testImages).toBe(trained.evaluation!.method === 'cross-validation' ? 36 : 12);
      expect((await fx().service.describeVersions()).map((v) => v.version)).toContain('conf-a');

      await fx().service.startVersion('conf-a', 1);
      const running = await waitForStatus(fx().service, 'conf-a', ['RUNNING', 'FAILED'], settle);
      expect(running).toMatchObject({ status: 'RUNNING', inferenceUnits: 1 });

      const image = data.images.find((i) => i.label === 'star')!;
      const all = await fx().service.detect('conf-a', { bytes: image.body });
      expect(all.map((l) => l.name).sort()).toEqual(labels);
      for (const l of all) expect(l.confidence).toBeGreaterThanOrEqual(0);
      for (const l of all) expect(l.confidence).toBeLessThanOrEqual(100);
      expect([...all].sort((a, b) => b.confidence - a.confidence)).toEqual(all);
      expect(await fx().service.detect('conf-a', { bytes: image.body }, { maxResults: 1 })).toEqual([all[0]]);
      const floor = all[1]!.confidence + 1e-6;
      expect((await fx().service.detect('conf-a', { bytes: image.body }, { minConfidence: floor })).every((l) => l.confidence >= floor)).toBe(true);
      const byKey = await fx().service.detect('conf-a', { key: `images_labeled_by_folder/star/conf-a-${image.file}` });
      expect(byKey).toEqual(all);
      await expectCode(fx().service.detect('conf-a', { bytes: Buffer.from('definitely not an image') }), ['IMAGE_UNSUPPORTED_TYPE', 'IMAGE_CORRUPT']);
      await expectCode(fx().service.detect('conf-a', { bytes: image.body.subarray(0, 200) }), ['IMAGE_CORRUPT']);

      await fx().service.stopVersion('conf-a');
      expect((await waitForStatus(fx().service, 'conf-a', ['STOPPED'], settle)).status).toBe('STOPPED');
      await expectCode(fx().service.detect('conf-a', { bytes: image.body }), ['MODEL_NOT_READY']);
    });

    it('fails a training with fewer than two labels, with a status message', async () => {
      const data = await writeSyntheticDataset(fx().store, { prefix: 'conf-b', labels: ['only'], train: 3, test: 1, seed: 5 });
      await fx().service.createVersion({ version: 'conf-b', ...data });
      const info = await waitForStatus(fx().service, 'conf-b', ['TRAINING_COMPLETED', 'TRAINING_FAILED'], settle);
      expect(info.status).toBe('TRAINING_FAILED');
      expect(info.statusMessage).toMatch(/label/i);
      await expectCode(fx().service.startVersion('conf-b', 1), ['MODEL_NOT_READY']);
    });

    it('fails a training whose manifest does not exist', async () => {
      await fx().service.createVersion({ version: 'conf-c', trainManifestKey: 'manifests/none/train.manifest', testManifestKey: 'manifests/none/test.manifest' });
      const info = await waitForStatus(fx().service, 'conf-c', ['TRAINING_COMPLETED', 'TRAINING_FAILED'], settle);
      expect(info.status).toBe('TRAINING_FAILED');
      expect(info.statusMessage).toBeTruthy();
    });
  });
}
