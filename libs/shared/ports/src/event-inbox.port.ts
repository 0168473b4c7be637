import type { ObjectCreated } from '@relabel/contracts';

/** Called once per created object; the inbox acknowledges the event only after it resolves. */
export type ObjectCreatedHandler = (event: ObjectCreated) => Promise<void>;

/**
 * Delivers normalised ObjectCreated events (local folder scan, or SQS in aws). Delivery is
 * at-least-once; consumers de-duplicate by key + eTag. Which prefixes an inbox watches is adapter
 * configuration.
 */
export interface EventInbox {
  start(handler: ObjectCreatedHandler): Promise<void>;
  /** Stops receiving and waits for in-flight handlers. */
  stop(): Promise<void>;
}
