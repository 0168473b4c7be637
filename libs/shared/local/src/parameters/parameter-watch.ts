import type { Logger, StoredParameter } from '@relabel/ports';
import { watchFile } from './file-change-watcher';

export interface ParameterWatchDeps {
  file: string;
  pollIntervalMs: number;
  logger: Logger;
  /** records edits made around the store before the values are compared */
  reconcile(): Promise<void>;
  read(): Promise<StoredParameter[]>;
}

/**
 * Reports which parameter values differ each time the file may have changed. Checks never overlap;
 * a notice arriving during one runs one more check after it. A file that becomes unreadable (or
 * readable again) reports every name, so the consumer re-reads and sees the failure or the repair.
 */
export async function startParameterWatch(deps: ParameterWatchDeps, onChange: (names: string[]) => void): Promise<() => Promise<void>> {
  const { logger } = deps;
  const reconcile = () => deps.reconcile().catch((err) => logger.warn({ err }, 'could not reconcile the parameter file'));
  const snapshot = async (): Promise<Map<string, string>> => {
    try {
      return new Map((await deps.read()).map((p) => [p.name, p.value]));
    } catch (err) {
      logger.warn({ err }, 'the parameter file cannot be read');
      return new Map([[UNREADABLE, (err as Error).message]]);
    }
  };

  await reconcile();
  let known = await snapshot();
  let running: Promise<void> | undefined;
  let again = false;
  const check = async () => {
    await reconcile();
    const next = await snapshot();
    const names = diff(known, next);
    known = next;
    if (names.length > 0) onChange(names);
  };
  const trigger = () => {
    if (running) {
      again = true;
      return;
    }
    running = check()
      .catch((err) => logger.error({ err }, 'parameter watch check failed'))
      .finally(() => {
        running = undefined;
        if (again) {
          again = false;
          trigger();
        }
      });
  };
  const unwatch = watchFile(deps.file, trigger, { pollIntervalMs: deps.pollIntervalMs, logger });
  return async () => {
    unwatch();
    again = false;
    await running;
  };
}

const UNREADABLE = '\u0000unreadable';

function diff(before: Map<string, string>, after: Map<string, string>): string[] {
  const names = new Set<string>();
  for (const [name, value] of after) if (before.get(name) !== value) names.add(name);
  for (const name of before.keys()) if (!after.has(name)) names.add(name);
  if (names.delete(UNREADABLE)) for (const name of [...before.keys(), ...after.keys()]) if (name !== UNREADABLE) names.add(name);
  return [...names].sort();
}
