import { spawn, ChildProcess } from 'child_process';
import { accessSync, constants, mkdirSync } from 'fs';
import path from 'path';
import IORedis from 'ioredis';

async function ping(url: string): Promise<boolean> {
  const redis = new IORedis(url, { maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1500, lazyConnect: true });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

function onPath(bin: string): boolean {
  return (process.env.PATH ?? '').split(path.delimiter).some((dir) => {
    try {
      accessSync(path.join(dir, bin), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

export const INSTALL_HINT =
  'relabel needs Redis. Install it (Debian/Ubuntu: `sudo apt-get install -y redis-server`; macOS: `brew install redis`) ' +
  'and run `npm start` again — it starts redis-server itself — or set REDIS_URL to a running server.';

/**
 * Uses the Redis at `url` if one answers; otherwise starts `redis-server` on that port with its
 * append-only file under the data directory, so labels and queues survive restarts.
 */
export async function ensureRedis(url: string, dataDir: string, log: (line: string) => void): Promise<ChildProcess | null> {
  if (await ping(url)) {
    log(`using the Redis at ${url}`);
    return null;
  }
  const parsed = new URL(url);
  const local = ['127.0.0.1', 'localhost', '::1', '[::1]'].includes(parsed.hostname);
  if (!local) throw new Error(`nothing answers at REDIS_URL=${url}, and it is not on this machine. ${INSTALL_HINT}`);
  if (!onPath('redis-server')) throw new Error(`nothing answers at REDIS_URL=${url} and redis-server is not on the PATH. ${INSTALL_HINT}`);
  const dir = path.join(dataDir, 'redis');
  mkdirSync(dir, { recursive: true });
  const port = parsed.port || '6379';
  const args = ['--port', port, '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--appendfsync', 'everysec', '--save', '', '--maxmemory-policy', 'noeviction', '--daemonize', 'no'];
  if (parsed.password) args.push('--requirepass', decodeURIComponent(parsed.password));
  // Its own process group: a Ctrl+C reaches the services first; Redis is stopped last, by us.
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  log(`started redis-server on port ${port} (data in ${dir})`);
  for (let i = 0; i < 50; i++) {
    if (await ping(url)) return child;
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill('SIGKILL');
  throw new Error(`redis-server did not come up on port ${port}. ${INSTALL_HINT}`);
}
