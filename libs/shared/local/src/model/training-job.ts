import { isErrorCode, parseGroundTruthManifest } from '@relabel/contracts';
import type { Logger, ObjectStore } from '@relabel/ports';
import { backboneCacheName } from './backbone';
import type { LabelledImage } from './train-pipeline';
import { trainInWorker, type TrainingRun } from './training-runner';
import type { VersionRecord, VersionStore } from './version-store';

export interface TrainingJobDeps {
  store: ObjectStore;
  versions: VersionStore;
  logger: Logger;
  cacheDir: string;
  /** Identity of this process in leases. */
  owner: string;
  heartbeatMs: number;
}

export interface TrainingJob {
  done: Promise<void>;
  /** Stops the worker; the version is marked TRAINING_FAILED with `reason`. */
  cancel(reason: string): Promise<void>;
}

async function loadImages(store: ObjectStore, manifestKey: string, skipped: NonNullable<VersionRecord['skipped']>): Promise<LabelledImage[]> {
  let text: string;
  try {
    text = (await store.get(manifestKey)).body.toString('utf8');
  } catch (err) {
    if (isErrorCode(err, 'STORE_NOT_FOUND')) throw new Error(`manifest ${manifestKey} does not exist`);
    throw err;
  }
  const parsed = parseGroundTruthManifest(text);
  for (const r of parsed.rejected) skipped.push({ key: `${manifestKey}#${r.line}`, reason: r.reason });
  const images: LabelledImage[] = [];
  for (const entry of parsed.entries) {
    try {
      images.push({ key: entry.key, label: entry.label, bytes: (await store.get(entry.key)).body });
    } catch (err) {
      if (!isErrorCode(err, 'STORE_NOT_FOUND') && !isErrorCode(err, 'STORE_INVALID_KEY')) throw err;
      skipped.push({ key: entry.key, reason: 'image not found in the object store' });
    }
  }
  return images;
}

/** "3 item(s) skipped: a.jpg (reason), …" — the first few, so describe shows what was left out. */
function describeSkipped(skipped: NonNullable<VersionRecord['skipped']>): string {
  const shown = skipped.slice(0, 3).map((s) => `${s.key} (${s.reason})`);
  return `${skipped.length} item(s) skipped: ${shown.join(', ')}${skipped.length > 3 ? ', …' : ''}`;
}

/**
 * Trains one version in a worker thread: reads the manifests and images, keeps the lease alive with
 * a heartbeat (progress goes into statusMessage), then writes the head, the evaluation summary and
 * the final status. All status writes go through one chain so a late heartbeat never overwrites
 * the outcome.
 */
export function startTrainingJob(deps: TrainingJobDeps, record: VersionRecord): TrainingJob {
  const { versions, logger } = deps;
  const log = logger.child({ modelVersion: record.version });
  let chain: Promise<void> = Promise.resolve();
  let finished = false;
  const save = (change: (r: VersionRecord) => void) => {
    chain = chain.then(async () => {
      change(record);
      await versions.write(record).catch((err: unknown) => log.error({ err }, 'cannot write model version status'));
    });
    return chain;
  };
  const heartbeat = setInterval(() => {
    if (!finished) void save((r) => (r.lease = { owner: deps.owner, heartbeatAt: new Date().toISOString() }));
  }, deps.heartbeatMs);
  heartbeat.unref();
  let run: TrainingRun | undefined;
  let cancelled: string | undefined;

  const finish = (change: (r: VersionRecord) => void) => {
    finished = true;
    clearInterval(heartbeat);
    return save((r) => {
      change(r);
      delete r.lease;
      delete r.progress;
      r.trainingEndedAt = new Date().toISOString();
    });
  };

  const done = (async () => {
    const skipped: NonNullable<VersionRecord['skipped']> = [];
    try {
      // The worker starts first: it loads the backbone while the images are read.
      run = trainInWorker(deps.cacheDir, (stage, n, total) =>
        void save((r) => {
          if (finished) return;
          r.statusMessage = `${stage} ${n}/${total}`;
          r.progress = { stage, done: n, total };
        }),
      );
      const train = await loadImages(deps.store, record.trainManifestKey, skipped);
      const test = await loadImages(deps.store, record.testManifestKey, skipped);
      if (cancelled) throw new Error(cancelled);
      log.info({ train: train.length, test: test.length }, 'training model version');
      run.start(train, test);
      const result = await run.result;
      skipped.push(...result.skipped);
      await versions.writeHead(record.version, result.head, { backbone: backboneCacheName() });
      await versions.writeSummary(record.version, { version: record.version, ...result.evaluation });
      await finish((r) => {
        r.status = 'TRAINING_COMPLETED';
        r.statusMessage = skipped.length ? `training completed; ${describeSkipped(skipped)}` : 'training completed';
        r.labels = result.head.labels;
        r.trainImages = result.trainImages;
        r.testImages = result.testImages;
        r.evaluation = result.evaluation;
        r.skipped = skipped;
      });
      log.info({ f1: result.evaluation.f1 }, 'model version trained');
    } catch (err) {
      await run?.terminate();
      const reason = cancelled ?? (err instanceof Error ? err.message : String(err));
      const message = skipped.length ? `${reason}; ${describeSkipped(skipped)}` : reason;
      log.warn({ err: message }, 'model version training failed');
      await finish((r) => {
        r.status = 'TRAINING_FAILED';
        r.statusMessage = message;
        r.skipped = skipped;
      });
    }
  })();

  return {
    done,
    async cancel(reason) {
      cancelled = reason;
      await run?.terminate();
      await done;
    },
  };
}
