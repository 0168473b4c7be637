import { spawn } from 'child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'fs';
import IORedis from 'ioredis';
import { freePort } from '@relabel/platform/testing';
import os from 'os';
import path from 'path';
import { ROOT, spawnNpmStart } from './testing/e2e-helpers';

jest.setTimeout(120_000);



/**
 * Processes still running with this data directory in their environment (the services and the
 * Redis that `npm start` launched). Checked by process, not by port: under a busy suite another
 * test may bind a port the moment it is free.
 */
function processesOf(dataDir: string): number[] {
  const marker = `RELABEL_DATA_DIR=${dataDir}`;
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry) && Number(entry) !== process.pid)
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(marker);
      } catch {
        return false; // gone meanwhile, or not ours to read
      }
    })
    .map(Number);
}

describe('npm start', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'relabel-start-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('starts Redis when none answers, serves the four services, survives a Redis restart, and SIGTERM leaves nothing behind', async () => {
    const started = await spawnNpmStart(dataDir);
    const { child, redisPort } = started;
    const { detector, trainer, labeler } = started.ports;
    const ports = [detector, trainer, labeler, started.ports['config-watcher']];

    const deadline = Date.now() + 90_000;
    const healthy = new Set<number>();
    while (healthy.size < ports.length && Date.now() < deadline) {
      for (const port of ports) {
        if (healthy.has(port)) continue;
        const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.status === 200, () => false);
        if (ok) healthy.add(port);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    expect({ healthy: healthy.size, output: healthy.size < 4 ? started.output() : '' }).toEqual({ healthy: 4, output: '' });
    expect(started.output()).toContain(`started redis-server on port ${redisPort}`);
    expect(existsSync(path.join(dataDir, 'redis', 'appendonlydir'))).toBe(true);
    expect(started.output()).toMatch(/admin token \(new\): \S{20,}/);

    // Redis dies: the supervisor starts it again from its AOF and the services reconnect by themselves.
    const doomed = new IORedis(redisPort, '127.0.0.1', { maxRetriesPerRequest: 0, retryStrategy: () => null });
    doomed.on('error', () => undefined);
    await doomed.call('SHUTDOWN', 'NOSAVE').catch(() => undefined);
    doomed.disconnect();
    const back = Date.now() + 30_000;
    let ready = false;
    while (!ready && Date.now() < back) {
      await new Promise((r) => setTimeout(r, 250));
      ready = await fetch(`http://127.0.0.1:${detector}/readyz`).then((r) => r.status === 200, () => false);
    }
    expect(ready).toBe(true);
    expect(started.output()).toMatch(/redis-server exited \(.*budget 5\); restarting in \d+ s/);

    expect(processesOf(dataDir).length).toBeGreaterThanOrEqual(5); // the supervisor, four services, Redis
    child.kill('SIGTERM');
    await new Promise<void>((resolve) => child.once('exit', () => resolve()));
    expect(processesOf(dataDir)).toEqual([]);
  });
});

describe('npm start without Redis', () => {
  it('says how to install Redis when nothing answers and redis-server is not on the PATH', async () => {
    const redisPort = await freePort();
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'relabel-start-'));
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
      cwd: ROOT,
      env: { ...process.env, PATH: dataDir, RELABEL_DATA_DIR: dataDir, REDIS_URL: `redis://127.0.0.1:${redisPort}` },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    rmSync(dataDir, { recursive: true, force: true });
    expect(code).toBe(1);
    expect(output).toContain('redis-server is not on the PATH');
    expect(output).toContain('apt-get install -y redis-server');
  });
});
