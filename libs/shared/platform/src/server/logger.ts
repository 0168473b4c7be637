import pino, { Logger as Pino } from 'pino';
import type { AppConfig, ServiceName } from '../config/config.schema';

/** Structured JSON logs; secrets are redacted wherever they might appear. */
export function createLogger(config: Pick<AppConfig, 'logLevel'>, service: ServiceName | string): Pino {
  return pino({
    level: config.logLevel,
    base: { service },
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization', '*.token', '*.password'],
      censor: '[redacted]',
    },
  });
}
