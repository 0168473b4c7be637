import { DeleteMessageCommand, ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import type { EventInbox, Logger, ObjectCreatedHandler } from '@relabel/ports';
import { normalizeS3Message } from './s3-event-normalizer';

export interface SqsEventInboxOptions {
  queueUrl: string;
  /** Long-poll wait, 0–20 s (default 20: fewest empty receives). */
  waitTimeSeconds?: number;
}

/** Receive failures (network, throttling) back off up to this; never a hot loop. */
const MAX_BACKOFF_MS = 30_000;

/**
 * The aws-profile EventInbox: long-polls an SQS queue fed by S3 (directly, via SNS or EventBridge).
 * A message is deleted only after the handler resolved for every event in it; if a handler throws,
 * the message stays and SQS redelivers it after its visibility timeout (configure a redrive policy
 * to park poison messages). Malformed messages and `s3:TestEvent` are logged and deleted, never
 * retried for ever. Delivery is at-least-once: consumers de-duplicate with `objectCreatedJobId`.
 */
export function createSqsEventInbox(deps: { client: SQSClient; logger: Logger }, opts: SqsEventInboxOptions): EventInbox {
  const logger = deps.logger.child({ queueUrl: opts.queueUrl });
  const waitTimeSeconds = Math.max(0, Math.min(20, opts.waitTimeSeconds ?? 20));
  let running = false;
  let loop: Promise<void> = Promise.resolve();
  let abort: AbortController | null = null;
  let wake: (() => void) | null = null;

  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  async function remove(message: Message): Promise<void> {
    try {
      await deps.client.send(new DeleteMessageCommand({ QueueUrl: opts.queueUrl, ReceiptHandle: message.ReceiptHandle }));
    } catch (err) {
      logger.warn({ messageId: message.MessageId, err: (err as Error).message }, 'could not delete a handled message; it will be delivered again');
    }
  }

  async function process(message: Message, handler: ObjectCreatedHandler): Promise<void> {
    const { events, ignored, malformed } = normalizeS3Message(message.Body ?? '');
    if (malformed.length > 0) logger.warn({ messageId: message.MessageId, malformed }, 'dropping malformed S3 event data');
    if (ignored.length > 0) logger.debug({ messageId: message.MessageId, ignored }, 'ignoring S3 events that are not object creations');
    for (const event of events) {
      try {
        await handler(event);
      } catch (err) {
        logger.warn({ messageId: message.MessageId, key: event.key, err: (err as Error).message }, 'object-created handler failed; the message will be redelivered');
        return;
      }
    }
    await remove(message);
  }

  async function run(handler: ObjectCreatedHandler): Promise<void> {
    let failures = 0;
    while (running) {
      abort = new AbortController();
      let messages: Message[];
      try {
        const out = await deps.client.send(
          new ReceiveMessageCommand({ QueueUrl: opts.queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: waitTimeSeconds }),
          { abortSignal: abort.signal },
        );
        messages = out.Messages ?? [];
        failures = 0;
      } catch (err) {
        if (!running) break;
        failures += 1;
        const delay = Math.min(MAX_BACKOFF_MS, 500 * 2 ** (failures - 1));
        logger.warn({ err: (err as Error).message, retryInMs: delay }, 'could not receive from SQS; backing off');
        await pause(delay);
        continue;
      }
      await Promise.all(messages.map((m) => process(m, handler)));
    }
  }

  return {
    async start(handler) {
      if (running) throw new Error('This inbox is already started');
      running = true;
      logger.info({ waitTimeSeconds }, 'inbox started');
      loop = run(handler).catch((err: Error) => logger.error({ err: err.message }, 'inbox loop stopped unexpectedly'));
    },

    async stop() {
      if (!running) return;
      running = false;
      abort?.abort();
      wake?.();
      await loop;
    },
  };
}
