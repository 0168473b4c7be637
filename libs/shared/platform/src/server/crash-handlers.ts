import type { Logger as Pino } from 'pino';

/**
 * A rejected promise nobody awaited, or an exception nobody caught, leaves the service in a state
 * no code planned for: log it and exit non-zero, so the supervisor (npm start, ECS) starts a clean
 * process. Queued work is not lost: jobs are retried and side effects are idempotent.
 */
export function fatalHandler(logger: Pick<Pino, 'fatal'>, kind: 'unhandledRejection' | 'uncaughtException', exit: (code: number) => void) {
  return (reason: unknown): void => {
    const err = reason instanceof Error ? { message: reason.message, stack: reason.stack } : { message: String(reason) };
    logger.fatal({ err, kind }, `${kind}; exiting so the supervisor restarts the service`);
    exit(1);
  };
}

export function installCrashHandlers(logger: Pick<Pino, 'fatal'>): void {
  const exit = (code: number) => process.exit(code);
  process.on('unhandledRejection', fatalHandler(logger, 'unhandledRejection', exit));
  process.on('uncaughtException', fatalHandler(logger, 'uncaughtException', exit));
}
