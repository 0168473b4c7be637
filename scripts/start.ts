/**
 * `npm start`: the whole system on the local profile (each adapter switch may still pick another
 * adapter, e.g. RELABEL_OBJECT_STORE=s3) — Redis (started if absent), then the four services, each
 * its own process with prefixed logs. SIGINT/SIGTERM stop everything within 10 s.
 */
import { spawn, ChildProcess } from 'child_process';
import { mkdirSync } from 'fs';
import path from 'path';
import readline from 'readline';
import { ADAPTER_ENV, ensureLocalTokens, loadConfig, servicePort, type Capability, ServiceName } from '@relabel/platform';
import { ensureRedis } from './start/redis-bootstrap';

const ROOT = path.resolve(__dirname, '..');
const SERVICES: ServiceName[] = ['config-watcher', 'detector', 'trainer', 'labeler'];
const STOP_GRACE_MS = 9000;
const children = new Map<ServiceName, ChildProcess>();
let redis: ChildProcess | null = null;
let stopping = false;

const say = (line: string) => process.stdout.write(`[relabel] ${line}\n`);

function pipe(stream: NodeJS.ReadableStream | null, name: string, out: NodeJS.WriteStream): void {
  if (!stream) return;
  const tag = `[${name}]`.padEnd(17);
  readline.createInterface({ input: stream }).on('line', (line) => out.write(`${tag} ${line}\n`));
}

function startService(name: ServiceName, env: NodeJS.ProcessEnv, restarts = 0): void {
  const file = path.join(ROOT, 'apps', name, 'src', 'server.ts');
  const child = spawn(process.execPath, ['--import', 'tsx', file], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    detached: true,
  });
  children.set(name, child);
  pipe(child.stdout, name, process.stdout);
  pipe(child.stderr, name, process.stderr);
  child.on('exit', (code, signal) => {
    children.delete(name);
    if (stopping) return;
    if (restarts >= 5) {
      say(`${name} keeps exiting (code ${code}, signal ${signal}); stopping everything`);
      void stop(1);
      return;
    }
    say(`${name} exited (code ${code}, signal ${signal}); restarting in 2 s`);
    setTimeout(() => !stopping && startService(name, env, restarts + 1), 2000).unref();
  });
}

function waitExit(child: ChildProcess, ms: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
      resolve();
    }, ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

async function stop(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  say('stopping the services');
  const running = [...children.values()];
  for (const child of running) child.kill('SIGTERM');
  await Promise.all(running.map((c) => waitExit(c, STOP_GRACE_MS - 1000)));
  if (redis) {
    say('stopping redis-server');
    redis.kill('SIGTERM');
    await waitExit(redis, 1000);
  }
  process.exit(code);
}

/**
 * Starts Redis if needed and, if it was ours and dies, starts it again from its append-only file:
 * the services reconnect by themselves, so a Redis crash costs seconds, not the system.
 */
async function superviseRedis(url: string, dataDir: string, restarts = 0): Promise<void> {
  redis = await ensureRedis(url, dataDir, say);
  if (!redis) return;
  pipe(redis.stdout, 'redis', process.stdout);
  redis.on('exit', (code, signal) => {
    if (stopping) return;
    if (restarts >= 5) {
      say(`redis-server keeps exiting (code ${code}, signal ${signal}); stopping everything`);
      void stop(1);
      return;
    }
    say(`redis-server exited (code ${code}, signal ${signal}); restarting it`);
    superviseRedis(url, dataDir, restarts + 1).catch((err: Error) => {
      say(`cannot restart redis-server: ${err.message}`);
      void stop(1);
    });
  });
}

async function main(): Promise<void> {
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  // If whoever started us (npm, a terminal) dies without passing the signal on, stop rather than orphan.
  const parent = process.ppid;
  setInterval(() => process.ppid !== parent && void stop(0), 1000).unref();
  const { config, generated } = await ensureLocalTokens(loadConfig({ ...process.env, RELABEL_PROFILE: 'local' }));
  await superviseRedis(config.redisUrl, config.dataDir);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    RELABEL_PROFILE: 'local',
    RELABEL_DATA_DIR: config.dataDir,
    RELABEL_ADMIN_TOKEN: config.tokens.admin,
    RELABEL_REVIEWER_TOKEN: config.tokens.reviewer,
  };
  // The folder operators fill with labelled images, ready before anyone reads the README's `cp`.
  const inFolder = config.adapters.objectStore === 'fs';
  if (inFolder) mkdirSync(path.join(config.bucketDir, 'images_labeled_by_folder'), { recursive: true });
  for (const name of SERVICES) startService(name, env);
  const url = (s: ServiceName) => `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${servicePort(config, s)}`;
  const dropInto = inFolder ? path.join(config.bucketDir, 'images_for_detection') : `s3://${config.aws.bucket}/images_for_detection/`;
  say(`data directory: ${config.dataDir} (drop images into ${dropInto})`);
  const switches = (Object.keys(ADAPTER_ENV) as Capability[]).map((c) => `${c}=${config.adapters[c]}`).join(' ');
  say(`adapters: ${switches}`);
  say(`detector ${url('detector')}  trainer ${url('trainer')}  labeler ${url('labeler')}  config-watcher ${url('config-watcher')}`);
  say(`review page: ${url('labeler')}/review   API docs: <service>/docs`);
  say(`admin token${generated.includes('admin') ? ' (new)' : ''}: ${config.tokens.admin}`);
  say(`reviewer token${generated.includes('reviewer') ? ' (new)' : ''}: ${config.tokens.reviewer}`);
}

main().catch((err: Error) => {
  process.stderr.write(`[relabel] cannot start: ${err.message}\n`);
  void stop(1).finally(() => process.exit(1));
});
