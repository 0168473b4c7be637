import type { FastifyInstance } from 'fastify';
import type { Logger as Pino } from 'pino';
import { loadConfig } from '../config/load-config';
import { AppConfig, ServiceName, servicePort } from '../config/config.schema';
import { ensureLocalTokens, tokenFile } from '../config/tokens';
import { installCrashHandlers } from './crash-handlers';
import { createLogger } from './logger';

export interface BuildAppOptions {
  config: AppConfig;
  logger?: Pino | false;
}

const CLOSE_GRACE_MS = 8000;

/**
 * Runs one service as a process: config, logger, build, listen, and a graceful close on
 * SIGINT/SIGTERM (workers drain first) bounded so the whole system stops within 10 seconds. An
 * unhandled rejection or uncaught exception is logged and exits 1, for the supervisor to restart.
 */
export async function runServer(options: { service: ServiceName; build: (opts: BuildAppOptions) => Promise<FastifyInstance> }): Promise<void> {
  const { service } = options;
  let logger: Pino | undefined;
  try {
    const loaded = await ensureLocalTokens(loadConfig());
    const config = loaded.config;
    logger = createLogger(config, service);
    installCrashHandlers(logger);
    for (const name of loaded.generated) {
      logger.info({ file: tokenFile(config, name as 'admin' | 'reviewer') }, `generated the ${name} token (kept in the data directory)`);
    }
    const app = await options.build({ config, logger });
    let closing = false;
    const shutdown = (signal: string) => {
      if (closing) return;
      closing = true;
      logger!.info({ signal }, 'shutting down');
      const force = setTimeout(() => {
        logger!.error('graceful close took too long, exiting');
        process.exit(1);
      }, CLOSE_GRACE_MS);
      force.unref();
      app.close().then(
        () => process.exit(0),
        (err: Error) => {
          logger!.error({ err: err.message }, 'error while closing');
          process.exit(1);
        },
      );
    };
    process.on('SIGINT', () => shutdown('SIGINT'));
    process.on('SIGTERM', () => shutdown('SIGTERM'));
    // Under `npm start` the supervisor holds an IPC channel: if it dies, so do we (no orphans).
    if (process.send) process.on('disconnect', () => shutdown('supervisor gone'));
    await app.listen({ host: config.host, port: servicePort(config, service) });
  } catch (err) {
    const message = (err as Error).message;
    if (logger) logger.fatal({ err: message }, 'failed to start');
    else process.stderr.write(`[${service}] failed to start: ${message}\n`);
    process.exit(1);
  }
}
