import { DeleteMessageCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { Logger, StoredParameter } from '@relabel/ports';
import { parameterChangeName } from './ssm-change-event';

interface WatchDeps {
  sqs?: SQSClient;
  logger: Logger;
  getAll(): Promise<StoredParameter[]>;
  shortName(full: string): string | null;
}

interface WatchOptions {
  queueUrl?: string;
  fullReadIntervalMs: number;
  waitTimeSeconds: number;
  onChange(names: string[]): void;
}

/**
 * Change notices for the SSM store: EventBridge "Parameter Store Change" events long-polled from SQS
 * (a message is deleted only after `onChange` ran; unrelated or malformed ones are dropped), plus a
 * periodic full read that reports any version it has not seen, so a lost event delays a change but
 * never loses it.
 */
export function watchParameterChanges(deps: WatchDeps, opts: WatchOptions): () => Promise<void> {
  const { sqs, logger } = deps;
  const abort = new AbortController();
  let stopped = false;
  let known: Map<string, number> | undefined;

  const fullRead = async () => {
    try {
      const now = new Map((await deps.getAll()).map((p) => [p.name, p.version]));
      if (known) {
        const names = [...now].filter(([n, v]) => known!.get(n) !== v).map(([n]) => n);
        names.push(...[...known.keys()].filter((n) => !now.has(n)));
        if (names.length > 0) opts.onChange(names.sort());
      }
      known = now;
    } catch (err) {
      logger.warn({ err: (err as Error).message }, 'SSM full read failed; retrying on the next round');
    }
  };
  void fullRead();
  const timer = setInterval(() => void fullRead(), opts.fullReadIntervalMs);
  timer.unref();

  const poll = async () => {
    while (!stopped && sqs && opts.queueUrl) {
      try {
        const out = await sqs.send(
          new ReceiveMessageCommand({ QueueUrl: opts.queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: opts.waitTimeSeconds }),
          { abortSignal: abort.signal },
        );
        for (const message of out.Messages ?? []) {
          const full = message.Body ? parameterChangeName(message.Body) : null;
          const name = full ? deps.shortName(full) : null;
          if (name) opts.onChange([name]);
          else logger.debug({ messageId: message.MessageId }, 'dropping an SQS message that is not a change of our parameters');
          await sqs.send(new DeleteMessageCommand({ QueueUrl: opts.queueUrl, ReceiptHandle: message.ReceiptHandle }));
        }
      } catch (err) {
        if (stopped) return;
        logger.warn({ err: (err as Error).message }, 'SQS receive of parameter events failed; backing off');
        await new Promise((resolve) => setTimeout(resolve, 1000).unref());
      }
    }
  };
  const polling = poll();

  return async () => {
    stopped = true;
    clearInterval(timer);
    abort.abort();
    await polling;
  };
}
