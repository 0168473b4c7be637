import { promises as fs } from 'fs';
import * as path from 'path';
import type { ObjectCreated } from '@relabel/contracts';
import type { EventInbox, Logger, ObjectCreatedHandler } from '@relabel/ports';
import { md5File, statSignature } from '../object-store/etag';
import { DeliveryLedger, sameFile } from './delivery-ledger';
import { StabilityTracker } from './stability-tracker';
import { TreeScanner, type ScanResult } from './tree-scanner';

export interface FsEventInboxOptions {
  /** The bucket folder the object store uses (`$RELABEL_DATA_DIR/bucket/`). */
  root: string;
  bucket: string;
  /** Key prefixes to watch, e.g. `images_for_detection/`. */
  prefixes: string[];
  /** Where delivered (key, eTag) pairs are remembered; outside the bucket folder, one per inbox. */
  ledgerFile: string;
  /** How often the folder is scanned (the source of truth), default 500 ms. */
  pollIntervalMs?: number;
  /** A file counts as complete once untouched (size, mtime, ctime) this long, default 1000 ms. */
  stableForMs?: number;
}

/**
 * A full scan re-stats every file, which is how a new version written over an already-delivered key
 * is noticed (a cheap scan only looks at new or undelivered files). It runs every 10 polls, or
 * less often when the tree is so big that a full scan would take more than ~2% of the time.
 */
const FULL_SCAN_EVERY_POLLS = 10;
const FULL_SCAN_MAX_SHARE = 50;
/** Handlers run in parallel up to this many, so a drop of hundreds of files is not serialised. */
const CONCURRENCY = 8;

async function runPool<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]!);
  });
  await Promise.all(lanes);
}

/**
 * The local-profile EventInbox: turns files appearing under some prefixes of the bucket folder —
 * written through the object store or copied in by hand — into ObjectCreated events. Polling is the
 * source of truth (no fs.watch: it misses events on some filesystems and while the process is down).
 * Delivery is at-least-once: the ledger line is written only after the handler resolved, so a crash
 * in between re-delivers on restart; consumers de-duplicate with `objectCreatedJobId(event)`.
 */
export function createFsEventInbox(deps: { logger: Logger }, opts: FsEventInboxOptions): EventInbox {
  const logger = deps.logger.child({ prefixes: opts.prefixes });
  const pollIntervalMs = opts.pollIntervalMs ?? 500;
  const scanner = new TreeScanner(opts.root, opts.prefixes);
  const tracker = new StabilityTracker(opts.stableForMs ?? 1000, Math.max(pollIntervalMs, 250));
  /** key → stat signature whose content is known to be delivered: no need to look again. */
  const settled = new Map<string, string>();
  let ledger: DeliveryLedger | null = null;
  let handler: ObjectCreatedHandler | null = null;
  let timer: NodeJS.Timeout | null = null;
  let loop: Promise<void> = Promise.resolve();
  let lastFullScan = 0;
  let fullScanCostMs = 0;
  let firstScan = true;

  async function deliver(h: ObjectCreatedHandler, key: string, file: string, sig: string): Promise<void> {
    const eTag = await md5File(file);
    const after = await fs.stat(file);
    if (statSignature(after) !== sig) return tracker.moved(key, statSignature(after));
    const known = ledger!.get(key);
    const entry = { key, eTag, size: after.size, mtimeMs: after.mtimeMs, ctimeMs: after.ctimeMs, ino: after.ino };
    if (known?.eTag !== eTag) {
      const event: ObjectCreated = { bucket: opts.bucket, key, size: after.size, eTag, eventTime: new Date(Math.max(after.mtimeMs, after.ctimeMs)).toISOString() };
      try {
        await h(event);
      } catch (err) {
        const retryInMs = tracker.failed(key);
        logger.warn({ key, eTag, err: (err as Error).message, retryInMs }, 'object-created handler failed; will retry');
        return;
      }
    }
    try {
      await ledger!.record(entry);
    } catch (err) {
      const retryInMs = tracker.failed(key);
      logger.error({ key, eTag, err: (err as Error).message, retryInMs }, 'delivered, but could not record it in the ledger; it will be delivered again');
      return;
    }
    settled.set(key, sig);
    tracker.done(key);
  }

  function candidates(scan: ScanResult, now: number): { key: string; file: string; sig: string }[] {
    const ready: { key: string; file: string; sig: string }[] = [];
    for (const [key, { file, stats }] of scan.stats) {
      const sig = statSignature(stats);
      if (settled.get(key) === sig) continue;
      const known = ledger!.get(key);
      if (known && sameFile(known, stats)) {
        settled.set(key, sig);
        continue;
      }
      if (tracker.isReady(key, stats, now)) ready.push({ key, file, sig });
    }
    return ready;
  }

  function forgetVanished(scan: ScanResult): void {
    if (scan.problems.length > 0) return;
    for (const key of settled.keys()) if (!scan.present.has(key)) settled.delete(key);
    tracker.retainOnly(scan.present);
  }

  async function tick(): Promise<void> {
    const now = Date.now();
    const fullEveryMs = Math.max(FULL_SCAN_EVERY_POLLS * pollIntervalMs, FULL_SCAN_MAX_SHARE * fullScanCostMs);
    const full = firstScan || now - lastFullScan >= fullEveryMs;
    const scan = await scanner.scan(full, (key) => !settled.has(key));
    if (full) {
      lastFullScan = now;
      fullScanCostMs = Date.now() - now;
    }
    if (scan.problems.length > 0) logger.warn({ problems: scan.problems.slice(0, 5), count: scan.problems.length }, 'inbox scan could not read everything');
    forgetVanished(scan);
    if (firstScan && scan.problems.length === 0) {
      await ledger!.compact((key) => scan.present.has(key)).catch((err: Error) => logger.warn({ err: err.message }, 'could not compact the delivery ledger'));
    }
    firstScan = false;
    const h = handler;
    if (!h) return;
    await runPool(candidates(scan, now), CONCURRENCY, async ({ key, file, sig }) => {
      if (!handler) return;
      await deliver(h, key, file, sig).catch((err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT') return;
        const retryInMs = tracker.failed(key);
        logger.warn({ key, err: err.message, retryInMs }, 'could not read a new file; will retry');
      });
    });
  }

  function schedule(): void {
    if (!handler) return;
    timer = setTimeout(() => {
      timer = null;
      loop = tick()
        .catch((err: Error) => logger.error({ err: err.message }, 'inbox scan failed; retrying on the next poll'))
        .finally(schedule);
    }, pollIntervalMs);
    timer.unref();
  }

  return {
    async start(h) {
      if (handler) throw new Error('This inbox is already started');
      ledger = await DeliveryLedger.open(path.resolve(opts.ledgerFile), logger);
      // The watched folders are where people drop files: make them exist so a first `cp` has a target.
      for (const prefix of opts.prefixes.filter((p) => p.endsWith('/'))) {
        await fs.mkdir(path.join(opts.root, prefix), { recursive: true });
      }
      handler = h;
      firstScan = true;
      logger.info({ ledger: opts.ledgerFile, delivered: ledger.size }, 'inbox started');
      loop = tick()
        .catch((err: Error) => logger.error({ err: err.message }, 'inbox scan failed; retrying on the next poll'))
        .finally(schedule);
    },

    async stop() {
      if (!handler) return;
      handler = null;
      if (timer) clearTimeout(timer);
      timer = null;
      await loop;
      await ledger?.close();
      ledger = null;
    },
  };
}
