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
import { RestartBudget, RestartDecision, DEFAULT_RESTART_BUDGET } from './start/restart-budget';

const ROOT = path.resolve(__dirname, '..');
const SERVICES: ServiceName[] = ['config-watcher', 'detector', 'trainer', 'labeler'];
const STOP_GRACE_MS = 9000;
const children = new Map<ServiceName, ChildProcess>();
let redis: ChildProcess | null = null;
let stopping = false;

const say = (line: string) => process.stdout.write(`[relabel] ${line}\n`);

const windowMinutes = DEFAULT_RESTART_BUDGET.windowMs / 60_000;
/** The log line of a restart: how many exits in the window, and when the next start comes. */
function restartLine(what: string, code: number | null, signal: string | null, d: RestartDecision): string {
  const count = `${d.recent} exit${d.recent === 1 ? '' : 's'} in the last ${windowMinutes} min, budget ${DEFAULT_RESTART_BUDGET.max}`;
  const when = d.throttled ? `budget spent; restarting in ${Math.round(d.delayMs / 1000)} s, when the window has room` : `restarting in ${Math.round(d.delayMs / 1000)} s`;
  return `${what} exited (code ${code}, signal ${signal}; ${count}); ${when}`;
}

function pipe(stream: NodeJS.ReadableStream | null, name: string, out: NodeJS.WriteStream): void {
  if (!stream) return;
  const tag = `[${name}]`.padEnd(17);
  readline.createInterface({ input: stream }).on('line', (line) => out.write(`${tag} ${line}\n`));
}

function startService(name: ServiceName, env: NodeJS.ProcessEnv, budget = new RestartBudget()): void {
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
    const decision = budget.onExit(Date.now());
    say(restartLine(name, code, signal, decision));
    setTimeout(() => !stopping && startService(name, env, budget), decision.delayMs).unref();
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
 * the services reconnect by themselves, so a Redis crash costs seconds, not the system. Services and
 * Redis share the same restart policy: a budget per 10-minute window with backoff, never a lifetime cap.
 */
async function superviseRedis(url: string, dataDir: string, budget = new RestartBudget()): Promise<void> {
  redis = await ensureRedis(url, dataDir, say);
  if (!redis) return;
  pipe(redis.stdout, 'redis', process.stdout);
  redis.on('exit', (code, signal) => {
    if (stopping) return;
    const decision = budget.onExit(Date.now());
    say(restartLine('redis-server', code, signal, decision));
    const restart = () => {
      if (stopping) return;
      superviseRedis(url, dataDir, budget).catch((err: Error) => {
        // e.g. the port is taken: try again later rather than take the services down
        say(`cannot restart redis-server: ${err.message}`);
        redis = null;
        const next = budget.onExit(Date.now());
        setTimeout(restart, next.delayMs).unref();
      });
    };
    setTimeout(restart, decision.delayMs).unref();
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
    // glibc's malloc gives each thread (libvips, onnxruntime, V8) an arena of its own; two keep a
    // model-serving process's peak RSS about 40 MB lower (local model README). The image sets the same.
    MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2',
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
  say(`operator console: ${url('config-watcher')}/console   review page: ${url('labeler')}/review   API docs: <service>/docs`);
  say(`admin token${generated.includes('admin') ? ' (new)' : ''}: ${config.tokens.admin}`);
  say(`reviewer token${generated.includes('reviewer') ? ' (new)' : ''}: ${config.tokens.reviewer}`);
  say(`give each reviewer an account: POST ${url('config-watcher')}/accounts (README, "Add the first reviewer")`);
}

main().catch((err: Error) => {
  process.stderr.write(`[relabel] cannot start: ${err.message}\n`);
  void stop(1).finally(() => process.exit(1));
});
