import { createHash } from 'crypto';
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { Logger, Notification, NotificationChannel, Notifier } from '@relabel/ports';
import { errorMessage, errorName } from '../common/sdk-error';

export interface SnsNotifierOptions {
  /** topic for training, deployment and parameter outcomes; without it those are only logged */
  operatorTopicArn?: string;
  /** topic for detection results; without it those are only logged */
  consumerTopicArn?: string;
  /** the longest one Publish may hold up the caller (default 3000 ms) */
  timeoutMs?: number;
}

/** SNS wants a Subject "less than 100 characters", without line breaks or non-ASCII characters. */
const SUBJECT_MAX = 99;

/** FIFO group and deduplication ids: 1–128 alphanumeric or punctuation characters (no spaces, ASCII only). */
const FIFO_ID = /^[\x21-\x7e]{1,128}$/;

/**
 * A dedupe id may carry operator-provided text (a parameter value): kept when SNS accepts it as is,
 * otherwise replaced by its SHA-256 (hex), which is as stable (same notification, same id) and always valid.
 */
export function snsFifoId(value: string): string {
  return FIFO_ID.test(value) ? value : createHash('sha256').update(value).digest('hex');
}

export function snsSubject(subject: string, fallback: string): string {
  const clean = subject.replace(/[^\x20-\x7e]+/g, ' ').replace(/\s+/g, ' ').trim();
  const text = clean || fallback;
  return text.length > SUBJECT_MAX ? `${text.slice(0, SUBJECT_MAX - 3)}...` : text;
}

/**
 * The aws-profile Notifier: publishes each notification to the channel's SNS topic as JSON
 * (`{ channel, type, subject, data, dedupeId?, sentAt }`), with `type` and `channel` as message
 * attributes so subscriptions can filter. Notification is best-effort: a Publish that fails or takes
 * longer than `timeoutMs` is logged and dropped, never thrown, so a worker's outcome never depends on
 * SNS (the log line is the durable record). FIFO topics get a group per type and the dedupe id.
 */
export function createSnsNotifier(deps: { client: SNSClient; logger: Logger }, opts: SnsNotifierOptions): Notifier {
  const { client, logger } = deps;
  const timeoutMs = opts.timeoutMs ?? 3000;
  const topics: Record<NotificationChannel, string | undefined> = { operator: opts.operatorTopicArn, consumer: opts.consumerTopicArn };

  function command(topicArn: string, n: Notification): PublishCommand {
    const message = JSON.stringify({ channel: n.channel, type: n.type, subject: n.subject, data: n.data, dedupeId: n.dedupeId, sentAt: new Date().toISOString() });
    const fifo = topicArn.endsWith('.fifo');
    return new PublishCommand({
      TopicArn: topicArn,
      Subject: snsSubject(n.subject, n.type),
      Message: message,
      MessageAttributes: {
        type: { DataType: 'String', StringValue: n.type },
        channel: { DataType: 'String', StringValue: n.channel },
      },
      // FIFO topics require both; content-based dedupe would treat two sentAt values as different
      MessageGroupId: fifo ? snsFifoId(n.type) : undefined,
      MessageDeduplicationId: fifo ? (n.dedupeId !== undefined ? snsFifoId(n.dedupeId) : createHash('sha256').update(message).digest('hex')) : undefined,
    });
  }

  return {
    async notify(notification) {
      logger.info({ notification }, `notification [${notification.channel}] ${notification.subject}`);
      const topicArn = topics[notification.channel];
      if (!topicArn) return;
      const abort = new AbortController();
      let timer: NodeJS.Timeout | undefined;
      // abort the request, and also stop waiting: a stuck connection must not hold the worker
      const timedOut = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          abort.abort();
          reject(Object.assign(new Error(`SNS publish took longer than ${timeoutMs} ms`), { name: 'TimeoutError' }));
        }, timeoutMs);
      });
      try {
        const out = await Promise.race([client.send(command(topicArn, notification), { abortSignal: abort.signal }), timedOut]);
        logger.debug({ messageId: out.MessageId, type: notification.type }, 'notification published');
      } catch (err) {
        logger.warn(
          { err: errorMessage(err), errName: errorName(err), timedOut: abort.signal.aborted, type: notification.type, dedupeId: notification.dedupeId },
          'SNS publish failed; notification dropped (best-effort)',
        );
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
