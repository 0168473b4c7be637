import { promises as fs } from 'fs';
import path from 'path';
import { defaultParameters, formatParameterValue, RelabelError } from '@relabel/contracts';
import type { Logger, ParameterChange, ParameterPutOptions, ParameterStore, StoredParameter } from '@relabel/ports';
import { readFileIfExists, writeFileAtomic } from '../fs/atomic-file';
import { withFileLock } from '../fs/file-lock';
import { ParameterHistoryLog } from './parameter-history-log';
import { startParameterWatch } from './parameter-watch';
import { reconcileWithHistory } from './reconcile-history';
import {
  assertParameterName,
  FileEntry,
  normalisePrefix,
  ParameterFile,
  parseParameterFile,
  serialiseParameterFile,
  toStoredParameters,
} from './parameter-file';

/**
 * Several services share the parameter file; writers serialise on `<file>.lock` so a
 * read-modify-write never loses another process's update.
 */
function withParameterFileLock<T>(file: string, fn: () => Promise<T>): Promise<T> {
  return withFileLock(`${file}.lock`, fn, {
    timeoutMs: 5_000,
    timeoutError: (lock) => new RelabelError('PARAM_STORE_UNAVAILABLE', `parameter file is locked by another writer (${lock})`),
  });
}

export interface FileParameterStoreOptions {
  /** the JSON file, e.g. `<dataDir>/parameters.json`; its history goes to `<name>.history.jsonl` beside it */
  file: string;
  /** e.g. `/relabel/`; keys in the file carry it, names at the port do not */
  pathPrefix: string;
  /** stat poll backing up fs.watch (default 1000 ms) */
  pollIntervalMs?: number;
}

/**
 * The local parameter store: a durable, hand-editable JSON file shaped like SSM. Created with the
 * default values (`PARAMETER_SPECS`) on first start; every write is an atomic replace under a cross-process lock and is
 * recorded in the history log. Edits made around it (by hand) are noticed, recorded as `out-of-band`
 * and reported through `watch()`.
 */
export function createFileParameterStore(
  deps: { logger: Logger },
  opts: FileParameterStoreOptions,
): ParameterStore & { close(): Promise<void> } {
  const { logger } = deps;
  const file = path.resolve(opts.file);
  const prefix = normalisePrefix(opts.pathPrefix);
  const log = new ParameterHistoryLog(file.replace(/\.json$/, '') + '.history.jsonl', logger);
  const stops = new Set<() => Promise<void>>();
  let ready: Promise<void> | undefined;

  const ensureReady = () => (ready ??= init().catch((err) => {
    ready = undefined;
    throw unavailable(err);
  }));

  async function init(): Promise<void> {
    await fs.mkdir(path.dirname(file), { recursive: true });
    await withParameterFileLock(file, async () => {
      const at = new Date().toISOString();
      const content: ParameterFile = {};
      const changes: ParameterChange[] = [];
      for (const [name, value] of Object.entries(defaultParameters())) {
        const text = formatParameterValue(value);
        content[prefix + name] = { Value: text, Type: 'String', Version: 1, LastModifiedDate: at };
        changes.push({ name, oldValue: null, newValue: text, version: 1, source: 'defaults', at });
      }
      // under the lock, so processes starting together create it once; an existing file is never reset
      if ((await readFileIfExists(file)) === null) {
        await writeFileAtomic(file, serialiseParameterFile(content));
        await log.append(changes);
        logger.info({ file }, 'created the parameter file with the default values');
      }
    });
  }

  async function readContent(): Promise<ParameterFile> {
    const text = await readFileIfExists(file).catch((err) => Promise.reject(unavailable(err)));
    if (text === null) throw new RelabelError('PARAM_STORE_UNAVAILABLE', `parameter file ${file} is missing`);
    return parseParameterFile(text, file);
  }

  /** Records edits made around the store; caller holds the lock. */
  async function reconcileLocked(): Promise<ParameterFile> {
    const content = await readContent();
    const { changes, rewritten } = reconcileWithHistory(prefix, content, await log.heads(), new Date().toISOString());
    if (changes.length > 0) {
      if (rewritten) await writeFileAtomic(file, serialiseParameterFile(content));
      await log.append(changes);
      logger.info({ names: changes.map((c) => c.name) }, 'recorded out-of-band parameter edits');
    }
    return content;
  }

  const reconcile = async () => {
    await ensureReady();
    await withParameterFileLock(file, reconcileLocked);
  };

  const store: ParameterStore & { close(): Promise<void> } = {
    async getAll(): Promise<StoredParameter[]> {
      await ensureReady();
      return toStoredParameters(prefix, await readContent());
    },

    async put(name: string, value: string, options: ParameterPutOptions = {}): Promise<StoredParameter> {
      assertParameterName(name);
      await ensureReady();
      return withParameterFileLock(file, async () => {
        const content = await reconcileLocked();
        const key = prefix + name;
        const old = content[key];
        const at = new Date().toISOString();
        // after a deletion the file has no entry but the history knows the last version
        const lastVersion = Math.max(old?.Version ?? 0, (await log.heads()).get(name)?.version ?? 0);
        const entry: FileEntry = { Value: value, Type: 'String', Version: lastVersion + 1, LastModifiedDate: at };
        content[key] = entry;
        await writeFileAtomic(file, serialiseParameterFile(content)).catch((err) => Promise.reject(unavailable(err)));
        await log.append([{ name, oldValue: old?.Value ?? null, newValue: value, version: entry.Version, source: options.source ?? 'api', at }]);
        return { name, value, version: entry.Version, lastModified: at };
      });
    },

    async history(options) {
      // record anything edited by hand first, so the log answered is complete
      await reconcile().catch((err) => logger.warn({ err }, 'could not reconcile the parameter file before listing history'));
      return log.page(options);
    },

    async watch(onChange) {
      const stop = await startParameterWatch(
        { file, pollIntervalMs: opts.pollIntervalMs ?? 1000, logger, reconcile, read: () => store.getAll() },
        onChange,
      );
      const tracked = async () => {
        stops.delete(tracked);
        await stop();
      };
      stops.add(tracked);
      return tracked;
    },

    async close() {
      await Promise.all([...stops].map((stop) => stop()));
    },
  };

  return store;
}

function unavailable(err: unknown): RelabelError {
  if (err instanceof RelabelError) return err;
  return new RelabelError('PARAM_STORE_UNAVAILABLE', `parameter store failed: ${(err as Error).message}`, undefined, { cause: err });
}
