import { spawn, type ChildProcess } from 'child_process';
import path from 'path';
import { freePort } from '@relabel/platform/testing';

export const ROOT = path.resolve(__dirname, '..', '..', '..');

/** Polls until `probe` gives a truthy value; errors count as "not yet" and the last one is reported. */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 60_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < until) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
}

export interface NpmStart {
  child: ChildProcess;
  redisPort: number;
  ports: { detector: number; trainer: number; labeler: number; 'config-watcher': number };
  output(): string;
}

/** Runs what `npm start` runs (without npm in between) on free ports and its own Redis port. */
export async function spawnNpmStart(dataDir: string, env: Record<string, string> = {}): Promise<NpmStart> {
  const [redisPort, detector, trainer, labeler, configWatcher] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort()]);
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      RELABEL_DATA_DIR: dataDir,
      REDIS_URL: `redis://127.0.0.1:${redisPort}`,
      RELABEL_DETECTOR_PORT: String(detector),
      RELABEL_TRAINER_PORT: String(trainer),
      RELABEL_LABELER_PORT: String(labeler),
      RELABEL_CONFIG_WATCHER_PORT: String(configWatcher),
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  return { child, redisPort, ports: { detector, trainer, labeler, 'config-watcher': configWatcher }, output: () => output };
}
