import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import os from 'os';
import path from 'path';
import IORedis from 'ioredis';
import { createHash } from 'crypto';
import { makeSyntheticImages } from '@relabel/ports/testing';
import { eventually, spawnNpmStart, type NpmStart } from './testing/e2e-helpers';

jest.setTimeout(240_000);

const ADMIN = 'chaos-admin-token-0123456789';
const REVIEWER = 'chaos-reviewer-token-0123456789';
const SERVICES = ['detector', 'trainer', 'labeler', 'config-watcher'] as const;
const LABELS = ['circle', 'square', 'star'];
const BATCHES = 4;
const PER_BATCH = 6;

/** The service process `npm start` runs for `name` (its direct child), found in /proc. */
function servicePid(supervisor: number, name: string): number | null {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== supervisor) continue;
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(`apps/${name}/src/server.ts`)) return Number(entry);
    } catch {
      // the process ended while we looked
    }
  }
  return null;
}

/**
 * Chaos under `npm start` (issue 11): a trained live model, images arriving in batches, a random
 * service SIGKILLed after each batch, and one FLUSHALL of the system's own Redis (started by
 * `npm start` on a free port, so no other test's Redis is touched). Reviewers answer some loops
 * while services die. At the end: one result per image, at most one loop per image, a labelled copy
 * for every answer, and the model that was live is still live.
 */
describe('chaos: SIGKILLs and a FLUSHALL under npm start', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'relabel-chaos-'));
  const bucket = path.join(dataDir, 'bucket');
  let started: NpmStart | undefined;
  afterAll(async () => {
    const child = started?.child;
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise<void>((resolve) => child.once('exit', () => resolve()));
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('every image gets one result and at most one loop, every answer its copy, and the live model stays', async () => {
    const images = await makeSyntheticImages({ labels: LABELS, perLabel: 8 + (BATCHES * PER_BATCH) / LABELS.length, seed: 77 });
    const training = images.filter((_, i) => i % 2 === 0).slice(0, 8 * LABELS.length);
    const arriving = images.filter((i) => !training.includes(i)).slice(0, BATCHES * PER_BATCH);
    for (const image of training) {
      mkdirSync(path.join(bucket, 'images_labeled_by_folder', image.label), { recursive: true });
      writeFileSync(path.join(bucket, 'images_labeled_by_folder', image.label, image.file), image.body);
    }

    started = await spawnNpmStart(dataDir, {
      RELABEL_ADMIN_TOKEN: ADMIN,
      RELABEL_REVIEWER_TOKEN: REVIEWER,
      RELABEL_RECONCILE_GRACE_MS: '2000',
    });
    const { child: start, ports, redisPort } = started;
    const call = async (service: (typeof SERVICES)[number], url: string, init: { method?: string; token?: string; body?: unknown } = {}) => {
      const res = await fetch(`http://127.0.0.1:${ports[service]}${url}`, {
        method: init.method ?? 'GET',
        headers: { ...(init.token ? { authorization: `Bearer ${init.token}` } : {}), ...(init.body ? { 'content-type': 'application/json' } : {}) },
        body: init.body ? JSON.stringify(init.body) : undefined,
      });
      return { status: res.status, json: (await res.json()) as Record<string, unknown> & { items?: Array<Record<string, unknown>> } };
    };
    const ready = () => Promise.all(SERVICES.map((s) => call(s, '/readyz').then((r) => r.status === 200, () => false))).then((all) => all.every(Boolean));
    await eventually('the four services to be ready', ready, 60_000);

    // A reachable bar, and every detection below a rounded 100 goes to review.
    expect((await call('config-watcher', '/parameters/Minimum-F1-Score', { method: 'PUT', token: ADMIN, body: { value: '0.3' } })).status).toBe(200);
    expect((await call('config-watcher', '/parameters/Minimum-Label-Detection-Confidence', { method: 'PUT', token: ADMIN, body: { value: '100' } })).status).toBe(200);
    const training202 = await call('trainer', '/trainings', { method: 'POST', token: ADMIN, body: { force: true } });
    expect(training202.status).toBe(202);
    const run = await eventually('the training to be deployed', async () => {
      const r = (await call('trainer', `/trainings/${training202.json.id}`, { token: ADMIN })).json;
      return ['deployed', 'rejected', 'failed', 'skipped'].includes(String(r.status)) ? r : null;
    }, 150_000);
    expect(run.status).toBe('deployed');
    const live = String(run.version);

    const redis = new IORedis(redisPort, '127.0.0.1', { maxRetriesPerRequest: 1 });
    redis.on('error', () => undefined);
    const killed: string[] = [];
    const answered: Array<{ loop: string; label: string; file: string }> = [];
    try {
      for (let batch = 0; batch < BATCHES; batch++) {
        for (const image of arriving.slice(batch * PER_BATCH, (batch + 1) * PER_BATCH)) {
          mkdirSync(path.join(bucket, 'images_for_detection', 'chaos'), { recursive: true });
          writeFileSync(path.join(bucket, 'images_for_detection', 'chaos', image.file), image.body);
        }
        if (batch === 1) {
          // The operator's scenario: Redis wiped a moment after images were dropped (the inbox has handed them over).
          await new Promise((r) => setTimeout(r, 2000));
          expect(await redis.flushall()).toBe('OK');
        }
        // Reviewers answer what is pending (once the system is back up), then a service dies under them.
        await eventually('the services to be ready between kills', ready, 60_000);
        const pending = await eventually('a pending loop', async () => {
          const items = (await call('labeler', '/api/human-loops?status=pending&limit=2', { token: REVIEWER })).json.items ?? [];
          return items.length > 0 ? items : null;
        }, 30_000).catch(() => []);
        for (const loop of pending) {
          const file = String(loop.imageKey).split('/').pop()!;
          const label = arriving.find((i) => i.file === file)?.label ?? LABELS[0]!;
          const res = await call('labeler', `/api/human-loops/${String(loop.name)}/answers`, { method: 'POST', token: REVIEWER, body: { label } });
          if (res.status < 300) answered.push({ loop: String(loop.name), label, file });
        }
        // A random one of the services running now (one killed a moment ago may still be restarting).
        const running = SERVICES.map((name) => ({ name, pid: servicePid(start.pid!, name) })).filter((s) => s.pid !== null);
        const victim = running[Math.floor(Math.random() * running.length)];
        if (victim) {
          process.kill(victim.pid!, 'SIGKILL');
          killed.push(victim.name);
        }
      }
    } finally {
      redis.disconnect();
    }
    expect(killed.length).toBe(BATCHES);
    expect(answered.length).toBeGreaterThan(0);

    // Everything settles: a notified result for the current content of every image.
    const resultOf = (file: string) => {
      const p = path.join(bucket, 'detection_results', 'chaos', `${file}.json`);
      return existsSync(p) ? (JSON.parse(readFileSync(p, 'utf8')) as { eTag: string; notified: boolean; modelVersion: string | null }) : null;
    };
    await eventually('a notified result for every image', async () => arriving.every((i) => resultOf(i.file)?.notified), 90_000);
    for (const image of arriving) {
      expect({ file: image.file, ...resultOf(image.file) }).toMatchObject({
        file: image.file,
        eTag: createHash('md5').update(image.body).digest('hex'),
        modelVersion: live,
      });
    }

    await eventually('the services to be ready again', ready, 60_000);
    const loops = [];
    for (const status of ['pending', 'completed']) loops.push(...((await call('labeler', `/api/human-loops?status=${status}&limit=1000`, { token: REVIEWER })).json.items ?? []));
    const perImage = new Map<string, number>();
    for (const loop of loops) perImage.set(String(loop.imageKey), (perImage.get(String(loop.imageKey)) ?? 0) + 1);
    expect([...perImage.entries()].filter(([, n]) => n > 1)).toEqual([]);

    for (const a of answered) {
      const copy = path.join(bucket, 'images_labeled_by_folder', a.label, `humanLoopName-${a.loop}-${a.file}`);
      await eventually(`the labelled copy of ${a.loop}`, async () => existsSync(copy), 60_000);
    }
    const model = (await call('trainer', `/models/${live}`, { token: ADMIN })).json;
    expect(model).toMatchObject({ live: true, status: 'RUNNING' });
  });
});
