/**
 * Detector bench: `npx tsx scripts/bench/detect.bench.ts [--quick]` (needs Redis on 127.0.0.1:6379;
 * RELABEL_DETECT_CONCURRENCY overrides the detector's inference concurrency).
 *
 * Trains a small real model (local model service, synthetic images), then measures in one run:
 *  - bare: `modelService.detect` in-process on 640×480 JPEGs at concurrency 8;
 *  - http: `POST /detect` over real localhost HTTP (keep-alive) on the same images at concurrency 8,
 *    through the whole detector (validation, store, review routing, result, notification);
 *  - events: 500 images dropped into `images_for_detection/` until all have a result.
 * Rounds alternate bare/http so drift hits both. Prints images/s, p50/p99, the http/bare ratio and
 * peak RSS per phase. Numbers are printed, never asserted.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { MODEL_ACTIVATED_CHANNEL, PREFIX, QUEUES } from '@relabel/contracts';
import { silentLogger, listAllObjects, type ObjectStore } from '@relabel/ports';
import sharp from 'sharp';
import { makeSyntheticImages, seededRandom, waitForStatus, writeSyntheticDataset } from '@relabel/ports/testing';
import { createFsObjectStore, createLocalModelService } from '@relabel/local-adapters';
import { LOCAL_BUCKET, loadConfig } from '@relabel/platform';
import { cleanupRedisPrefix } from '@relabel/platform/testing';
import { buildApp } from '../../apps/detector/src/app';

const quick = process.argv.includes('--quick');
const CONCURRENCY = 8;
const PER_ROUND = quick ? 60 : 120;
const ROUNDS = quick ? 2 : 4;
const EVENT_IMAGES = quick ? 100 : 500;
const LABELS = ['circle', 'square', 'star'];
const line = (name: string, value: string) => console.log(`${name.padEnd(58)} ${value}`);

/** Peak RSS while `fn` runs (sampled every 20 ms; inference threads live in this process too). */
async function withPeakRss<T>(fn: () => Promise<T>): Promise<{ result: T; peakMb: number }> {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 20);
  try {
    const result = await fn();
    return { result, peakMb: Math.max(peak, process.memoryUsage.rss()) / 1024 / 1024 };
  } finally {
    clearInterval(timer);
  }
}

/** `total` calls of `fn(i)` with `concurrency` in flight; latencies in ms. */
async function closedLoop(total: number, concurrency: number, fn: (i: number) => Promise<void>) {
  const latencies: number[] = [];
  let next = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const i = next++;
        const t = performance.now();
        await fn(i);
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!;
  // CPU time of this process (inference threads included) per image: a second view when the box is shared.
  return { rate: total / seconds, p50: pct(50), p99: pct(99), cpuMs: (cpu.user + cpu.system) / 1000 / total };
}

/**
 * Sensor-like grain on a synthetic image, so the JPEG weighs what a 640×480 photo does (~100 KB,
 * not ~10 KB) and decoding, hashing and storing cost what they would in real use.
 */
async function photoLike(jpeg: Buffer, seed: number): Promise<Buffer> {
  const { data, info } = await sharp(jpeg).raw().toBuffer({ resolveWithObject: true });
  const rng = seededRandom(seed + 1);
  for (let i = 0; i < data.length; i++) data[i] = Math.max(0, Math.min(255, data[i]! + Math.round((rng() - 0.5) * 24)));
  return sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } }).jpeg({ quality: 85 }).toBuffer();
}

/** One at a time: decoding hundreds of raw frames at once would inflate the RSS being measured. */
async function photoLikeAll(images: Array<{ body: Buffer }>, seed: number): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for (const [n, image] of images.entries()) out.push(await photoLike(image.body, seed + n));
  return out;
}

function postImage(agent: http.Agent, port: number, body: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { agent, host: '127.0.0.1', port, method: 'POST', path: '/detect', headers: { 'content-type': 'image/jpeg', 'content-length': body.length } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function countUnder(store: ObjectStore, prefix: string): Promise<number> {
  let n = 0;
  for await (const _ of listAllObjects(store, prefix)) n++;
  return n;
}

async function main() {
  const root = mkdtempSync(join(tmpdir(), 'relabel-detect-bench-'));
  const keyPrefix = `bench${randomBytes(4).toString('hex')}`;
  // Shared with the model service's tests: the backbone is converted to ONNX once per machine.
  const cacheDir = join(tmpdir(), 'relabel-model-cache');
  const concurrency = process.env.RELABEL_DETECT_CONCURRENCY;
  const config = loadConfig({ RELABEL_DATA_DIR: root, RELABEL_KEY_PREFIX: keyPrefix, LOG_LEVEL: 'silent', ...(concurrency ? { RELABEL_DETECT_CONCURRENCY: concurrency } : {}) });
  const store = createFsObjectStore({ root: config.bucketDir, bucket: LOCAL_BUCKET });
  const modelService = createLocalModelService({ store, logger: silentLogger }, { cacheDir });
  console.log(`relabel detector bench (${quick ? 'quick' : 'full'}), node ${process.version}, detector concurrency ${config.detector.concurrency}`);

  const t0 = performance.now();
  const data = await writeSyntheticDataset(store, { prefix: 'bench', labels: LABELS, train: 10, test: 4, seed: 5 });
  await modelService.createVersion({ version: 'bench-v1', trainManifestKey: data.trainManifestKey, testManifestKey: data.testManifestKey });
  const trained = await waitForStatus(modelService, 'bench-v1', ['TRAINING_COMPLETED', 'TRAINING_FAILED'], 15 * 60_000);
  if (trained.status !== 'TRAINING_COMPLETED') throw new Error(`training failed: ${trained.statusMessage}`);
  await modelService.startVersion('bench-v1', 1);
  await waitForStatus(modelService, 'bench-v1', ['RUNNING'], 5 * 60_000);
  line(`model: ${LABELS.length} labels × 10 train images, trained + started`, `${((performance.now() - t0) / 1000).toFixed(1)} s, F1 ${trained.evaluation?.f1.toFixed(2)}`);
  // A second version for the blue/green switch under load.
  await modelService.createVersion({ version: 'bench-v2', trainManifestKey: data.trainManifestKey, testManifestKey: data.testManifestKey });
  await waitForStatus(modelService, 'bench-v2', ['TRAINING_COMPLETED'], 15 * 60_000);

  const images = await photoLikeAll(await makeSyntheticImages({ labels: LABELS, perLabel: 16, seed: 99, width: 640, height: 480, format: 'jpeg' }), 0);
  const meanKb = images.reduce((s, b) => s + b.length, 0) / images.length / 1024;
  line('test images: 640×480 JPEG', `${images.length} distinct, mean ${meanKb.toFixed(0)} KB`);

  const app = await buildApp({ config, logger: false, providers: { objectStore: store, modelService } });
  await app.providers.operationalState.set('activeModelVersion', 'bench-v1');
  await app.listen({ host: '127.0.0.1', port: 0 });
  const port = (app.server.address() as AddressInfo).port;
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  let failures = 0;
  const bare = (i: number) => modelService.detect('bench-v1', { bytes: images[i % images.length]! }, { maxResults: 5 }).then(() => undefined);
  const viaHttp = async (i: number) => {
    if ((await postImage(agent, port, images[i % images.length]!)) !== 200) failures++;
  };
  // Warm up both paths (model head, sessions, JIT, connections).
  await closedLoop(16, CONCURRENCY, bare);
  await closedLoop(16, CONCURRENCY, viaHttp);

  const bareRuns: Array<Awaited<ReturnType<typeof closedLoop>>> = [];
  const httpRuns: Array<Awaited<ReturnType<typeof closedLoop>>> = [];
  const show = (r: Awaited<ReturnType<typeof closedLoop>>, peakMb: number) =>
    `${r.rate.toFixed(1)} img/s  p50 ${r.p50.toFixed(0)} ms  p99 ${r.p99.toFixed(0)} ms  CPU ${r.cpuMs.toFixed(0)} ms/img  peak RSS ${peakMb.toFixed(0)} MB`;
  for (let round = 1; round <= ROUNDS; round++) {
    const b = await withPeakRss(() => closedLoop(PER_ROUND, CONCURRENCY, bare));
    bareRuns.push(b.result);
    line(`round ${round} bare modelService.detect, c=${CONCURRENCY}`, show(b.result, b.peakMb));
    const h = await withPeakRss(() => closedLoop(PER_ROUND, CONCURRENCY, viaHttp));
    httpRuns.push(h.result);
    line(`round ${round} HTTP POST /detect, c=${CONCURRENCY}`, show(h.result, h.peakMb));
  }
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  // Total images over total time per path (rounds alternate, so drift in machine load hits both).
  const bareRate = (ROUNDS * PER_ROUND) / sum(bareRuns.map((r) => PER_ROUND / r.rate));
  const httpRate = (ROUNDS * PER_ROUND) / sum(httpRuns.map((r) => PER_ROUND / r.rate));
  line('HTTP non-200 answers', String(failures));
  line('bare / HTTP overall', `${bareRate.toFixed(1)} / ${httpRate.toFixed(1)} img/s`);
  line('RATIO HTTP / bare images/s (target ≥ 0.8)', `${(httpRate / bareRate).toFixed(2)} (median per round ${median(httpRuns.map((h, i) => h.rate / bareRuns[i]!.rate)).toFixed(2)})`);
  const bareNarrow = await closedLoop(PER_ROUND, config.detector.concurrency, bare);
  line(`(info) bare at the detector's inference concurrency c=${config.detector.concurrency}`, show(bareNarrow, process.memoryUsage.rss() / 1024 / 1024));
  line('RATIO by CPU per image, bare / HTTP (process CPU incl. inference threads)', (median(bareRuns.map((r) => r.cpuMs)) / median(httpRuns.map((r) => r.cpuMs))).toFixed(2));

  // Blue/green under load, as the trainer does it: v2 RUNNING, switch the pointer, announce, stop v1.
  await modelService.startVersion('bench-v2', 1);
  await waitForStatus(modelService, 'bench-v2', ['RUNNING'], 5 * 60_000);
  failures = 0;
  let switched = false;
  const switching = await closedLoop(PER_ROUND, CONCURRENCY, async (i) => {
    if (i === Math.floor(PER_ROUND / 3) && !switched) {
      switched = true;
      await app.providers.operationalState.set('activeModelVersion', 'bench-v2');
      await app.publish(MODEL_ACTIVATED_CHANNEL, { version: 'bench-v2' });
      await modelService.stopVersion('bench-v1');
    }
    await viaHttp(i);
  });
  line(`switch v1 → v2 during ${PER_ROUND} HTTP requests, c=${CONCURRENCY}`, `${failures} failed, ${switching.rate.toFixed(1)} img/s, p99 ${switching.p99.toFixed(0)} ms, live now ${await app.detection.activeModel.current()}`);

  // Let any job still queued finish before the event phase (POSTed images raise none).
  const queue = app.queues.get(QUEUES.detection).queue;
  const idle = async () => {
    const c = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
    return Object.values(c).every((n) => n === 0);
  };
  for (let i = 0; i < 600 && !(await idle()); i++) await new Promise((r) => setTimeout(r, 100));

  const drop = await photoLikeAll(
    await makeSyntheticImages({ labels: LABELS, perLabel: Math.ceil(EVENT_IMAGES / LABELS.length), seed: 1234, width: 640, height: 480, format: 'jpeg' }),
    1000,
  );
  const dir = join(config.bucketDir, PREFIX.forDetection, 'drop');
  mkdirSync(dir, { recursive: true });
  const resultsPrefix = `${PREFIX.detectionResults}drop/`;
  const events = await withPeakRss(async () => {
    const start = performance.now();
    // Like a user copying files into the bucket folder.
    for (const [i, image] of drop.slice(0, EVENT_IMAGES).entries()) writeFileSync(join(dir, `${String(i).padStart(4, '0')}.jpg`), image);
    let done = 0;
    while ((done = await countUnder(store, resultsPrefix)) < EVENT_IMAGES && performance.now() - start < 30 * 60_000) await new Promise((r) => setTimeout(r, 200));
    return { done, seconds: (performance.now() - start) / 1000 };
  });
  const eventRate = events.result.done / events.result.seconds;
  line(`events: ${EVENT_IMAGES} images dropped → results`, `${events.result.done} detected in ${events.result.seconds.toFixed(1)} s = ${eventRate.toFixed(1)} img/s  peak RSS ${events.peakMb.toFixed(0)} MB`);
  line('RATIO events / bare', (eventRate / bareRate).toFixed(2));
  const failed = (await queue.getJobCounts('failed')).failed ?? 0;
  line('event jobs failed', String(failed));

  agent.destroy();
  await app.close();
  await modelService.close();
  await cleanupRedisPrefix(keyPrefix);
  rmSync(root, { recursive: true, force: true });
}

main().then(
  () => process.exit(0),
  (err: Error) => {
    console.error(err);
    process.exit(1);
  },
);
