import type { Logger, Notification, Notifier } from '@relabel/ports';

export interface LocalNotifierOptions {
  /** POST every notification here as JSON when set */
  webhookUrl?: string;
  /** per attempt */
  timeoutMs: number;
  /** attempts after the first one */
  retries: number;
  /** notifications waiting for the webhook; the oldest are dropped beyond this (default 1000) */
  maxBacklog?: number;
  /** first retry delay, doubled per attempt (default 500 ms) */
  retryDelayMs?: number;
}

/**
 * Writes every notification to the log and, when configured, delivers it to a webhook in the
 * background: `notify` only logs and enqueues, so a slow or dead webhook never blocks a worker. The
 * backlog is bounded; what cannot be delivered after the retries is logged and dropped (the log line
 * written first is the durable record).
 */
export function createLocalNotifier(deps: { logger: Logger }, opts: LocalNotifierOptions): Notifier {
  const { logger } = deps;
  const maxBacklog = opts.maxBacklog ?? 1000;
  const retryDelayMs = opts.retryDelayMs ?? 500;
  const backlog: Notification[] = [];
  let draining = false;

  async function deliver(url: string, n: Notification): Promise<void> {
    const body = JSON.stringify({ ...n, sentAt: new Date().toISOString() });
    for (let attempt = 0; ; attempt++) {
      try {
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
          signal: AbortSignal.timeout(opts.timeoutMs),
        });
        await res.body?.cancel();
        if (res.ok) return;
        // a 4xx other than 408/429 will not get better by retrying
        if (res.status < 500 && res.status !== 408 && res.status !== 429) throw new Permanent(`webhook answered ${res.status}`);
        throw new Error(`webhook answered ${res.status}`);
      } catch (err) {
        if (err instanceof Permanent || attempt >= opts.retries) throw err;
        await sleep(retryDelayMs * 2 ** attempt);
      }
    }
  }

  async function drain(url: string): Promise<void> {
    if (draining) return;
    draining = true;
    try {
      for (let n = backlog.shift(); n; n = backlog.shift()) {
        await deliver(url, n).catch((err) =>
          logger.warn({ err: (err as Error).message, type: n.type, dedupeId: n.dedupeId }, 'webhook delivery failed; notification dropped'),
        );
      }
    } finally {
      draining = false;
    }
  }

  return {
    async notify(notification) {
      logger.info({ notification }, `notification [${notification.channel}] ${notification.subject}`);
      if (!opts.webhookUrl) return;
      if (backlog.length >= maxBacklog) {
        const dropped = backlog.shift();
        logger.warn({ type: dropped?.type, dedupeId: dropped?.dedupeId }, 'webhook backlog full; oldest notification dropped');
      }
      backlog.push(notification);
      void drain(opts.webhookUrl);
    },
  };
}

class Permanent extends Error {}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
