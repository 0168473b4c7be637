import fs, { promises as fsp } from 'fs';
import path from 'path';
import type { Logger } from '@relabel/ports';

/**
 * Calls `onChange` (debounced) when `file` may have changed: fs.watch on its directory (the file is
 * replaced by rename, which a watch on the file itself would lose) plus a stat poll, because fs.watch
 * misses events on some filesystems (network mounts, some container volumes).
 */
export function watchFile(file: string, onChange: () => void, opts: { pollIntervalMs: number; logger: Logger }): () => void {
  const base = path.basename(file);
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const fire = () => {
    if (stopped || timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      if (!stopped) onChange();
    }, 25);
  };

  let watcher: fs.FSWatcher | undefined;
  try {
    watcher = fs.watch(path.dirname(file), { persistent: false }, (_event, name) => {
      if (name === null || name === base) fire();
    });
    watcher.on('error', (err) => {
      opts.logger.warn({ err, file }, 'fs.watch failed; relying on polling');
      watcher?.close();
    });
  } catch (err) {
    opts.logger.warn({ err, file }, 'fs.watch unavailable; relying on polling');
  }

  let last: string | undefined;
  const poll = setInterval(() => {
    fsp.stat(file).then(
      (s) => signature(`${s.ino}:${s.size}:${s.mtimeMs}`),
      () => signature('missing'),
    );
  }, opts.pollIntervalMs);
  poll.unref();
  const signature = (sig: string) => {
    if (last !== undefined && sig !== last) fire();
    last = sig;
  };

  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    clearInterval(poll);
    watcher?.close();
  };
}
