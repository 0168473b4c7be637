/**
 * Measures the promise of flow A (docs/architecture.md) "a change is in force in every service within 5 seconds": PUT on a
 * real config-watcher (HTTP, local file store, real Redis) → the parameter cache in other PROCESSES
 * reports the new value. Two phases: the normal path (config.changed over Redis pub/sub) and the
 * safety net alone (no pub/sub, the cache's default periodic re-read), which bounds the delay when a message
 * is lost. Needs Redis on 127.0.0.1:6379.
 *
 *   npx tsx scripts/bench/config-fanout.bench.ts [rounds=30] [services=3]
 */
import { ChildProcess, spawn } from 'child_process';
import { randomBytes } from 'crypto';
import { mkdtempSync, rmSync } from 'fs';
import os from 'os';
import path from 'path';
import readline from 'readline';
import IORedis from 'ioredis';
import { createFileParameterStore } from '@relabel/local-adapters';
import { silentLogger } from '@relabel/ports';
import { loadConfig, ParametersCache } from '@relabel/platform';
import { cleanupRedisPrefix } from '@relabel/platform/testing';
import { buildApp } from '../../apps/config-watcher/src/app';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const TOKEN = 'bench-admin-token-0123456789';
const PARAM = 'Automatic-Training-Poll-Frequency';

/** One "service": its own store instance and cache; prints a line whenever the value in force changes. */
async function child(dataDir: string, keyPrefix: string, mode: 'pubsub' | 'periodic'): Promise<void> {
  const store = createFileParameterStore({ logger: silentLogger }, { file: path.join(dataDir, 'parameters.json'), pathPrefix: '/relabel/' });
  const sub = new IORedis(REDIS_URL, { maxRetriesPerRequest: null });
  const subscribe = async (channel: string, handler: (m: unknown) => void) => {
    sub.on('message', (_ch, raw) => handler(raw));
    await sub.subscribe(`${keyPrefix}:${channel}`);
  };
  const cache = new ParametersCache({ store, logger: silentLogger, refreshMs: mode === 'pubsub' ? 600_000 : undefined, subscribe: mode === 'pubsub' ? subscribe : undefined });
  cache.onChange((next) => void process.stdout.write(`${JSON.stringify({ value: next[PARAM], at: Date.now() })}\n`));
  await cache.start();
  process.stdout.write('ready\n');
}

interface Service {
  proc: ChildProcess;
  seen: Map<number, number>;
}

function startService(dataDir: string, keyPrefix: string, mode: string): Promise<Service> {
  const proc = spawn(process.execPath, [...process.execArgv, __filename, 'child', dataDir, keyPrefix, mode], { stdio: ['ignore', 'pipe', 'inherit'] });
  const seen = new Map<number, number>();
  return new Promise((resolve) => {
    readline.createInterface({ input: proc.stdout! }).on('line', (line) => {
      if (line === 'ready') return resolve({ proc, seen });
      const { value, at } = JSON.parse(line) as { value: number; at: number };
      seen.set(value, at);
    });
  });
}

function stats(samples: number[]): string {
  const s = [...samples].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
  return `n=${s.length} min=${s[0]} p50=${q(0.5)} p95=${q(0.95)} max=${s[s.length - 1]} ms`;
}

async function phase(mode: 'pubsub' | 'periodic', rounds: number, services: number, base: string, firstValue: number): Promise<number[]> {
  const children = await Promise.all(Array.from({ length: services }, () => startService(base, keyPrefixOf(base), mode)));
  const latencies: number[] = [];
  try {
    for (let i = 0; i < rounds; i++) {
      const value = firstValue + i;
      const t0 = Date.now();
      const res = await fetch(`${url}/parameters/${PARAM}`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ value }),
      });
      if (res.status !== 200) throw new Error(`PUT answered ${res.status}: ${await res.text()}`);
      const deadline = t0 + 15_000;
      while (!children.every((c) => c.seen.has(value)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 2));
      for (const c of children) {
        const at = c.seen.get(value);
        if (at === undefined) throw new Error(`a service did not see ${PARAM}=${value} within 15 s`);
        latencies.push(at - t0);
      }
      // spread the writes so the periodic phase samples every point of the 5 s cycle
      await new Promise((r) => setTimeout(r, mode === 'periodic' ? 500 + Math.random() * 1500 : 20));
    }
  } finally {
    for (const c of children) c.proc.kill('SIGTERM');
  }
  return latencies;
}

const prefixes = new Map<string, string>();
const keyPrefixOf = (dir: string) => prefixes.get(dir)!;
let url = '';

async function main(): Promise<void> {
  const rounds = Number(process.argv[2] ?? 30);
  const services = Number(process.argv[3] ?? 3);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'relabel-fanout-bench-'));
  const keyPrefix = `bench${randomBytes(4).toString('hex')}`;
  prefixes.set(dataDir, keyPrefix);
  const config = loadConfig({
    RELABEL_DATA_DIR: dataDir,
    RELABEL_KEY_PREFIX: keyPrefix,
    REDIS_URL,
    RELABEL_ADMIN_TOKEN: TOKEN,
    RELABEL_CONFIG_WATCHER_PORT: '0',
    LOG_LEVEL: 'silent',
  });
  const app = await buildApp({ config, logger: false });
  try {
    url = await app.listen({ host: '127.0.0.1', port: 0 });
    const pubsub = await phase('pubsub', rounds, services, dataDir, 100);
    console.log(`config.changed fan-out, PUT -> cache in ${services} other processes (pub/sub):    ${stats(pubsub)}`);
    const periodicRounds = Math.max(5, Math.round(rounds / 3));
    const periodic = await phase('periodic', periodicRounds, services, dataDir, 10_000);
    console.log(`safety net only, no pub/sub (periodic re-read, default 4000 ms):               ${stats(periodic)}`);
    const worst = Math.max(...pubsub);
    console.log(`flow A target: in force everywhere within 5000 ms -> pub/sub worst ${worst} ms, without pub/sub worst ${Math.max(...periodic)} ms`);
  } finally {
    await app.close();
    await cleanupRedisPrefix(keyPrefix, REDIS_URL);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[2] === 'child') {
  void child(process.argv[3]!, process.argv[4]!, process.argv[5] as 'pubsub' | 'periodic');
} else {
  main().then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
