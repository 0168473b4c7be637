import type { EventInbox, Logger } from '@relabel/ports';

/**
 * Passes on only events for `bucket` under `prefixes`. An SQS queue receives whatever its S3
 * notification or EventBridge rule sends, and a wider rule than intended must not feed, say,
 * detection results back into detection; skipped events are acknowledged (they will never match).
 */
export function filteredInbox(inbox: EventInbox, filter: { bucket: string; prefixes: string[] }, logger: Logger): EventInbox {
  return {
    start: (handler) =>
      inbox.start(async (event) => {
        if (event.bucket === filter.bucket && filter.prefixes.some((p) => event.key.startsWith(p))) return handler(event);
        logger.debug({ bucket: event.bucket, key: event.key, prefixes: filter.prefixes }, 'object event outside this inbox; skipped');
      }),
    stop: () => inbox.stop(),
  };
}
