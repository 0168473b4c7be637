import type { Redis } from 'ioredis';
import type { Logger } from '@relabel/ports';

export type MessageHandler = (message: unknown) => void | Promise<void>;

/**
 * Redis pub/sub under the key prefix. Fan-out (every service hears every message) is what queues
 * cannot do; messages are hints only — receivers also re-read durable state periodically, so a
 * message lost during a Redis restart delays a change but never loses it.
 */
export class PubSub {
  private readonly handlers = new Map<string, MessageHandler[]>();
  private listening = false;

  constructor(
    private readonly publisher: Redis,
    private readonly makeSubscriber: () => Redis,
    private readonly prefix: string,
    private readonly logger: Logger,
  ) {}

  private subscriber?: Redis;

  private full(channel: string): string {
    return `${this.prefix}:${channel}`;
  }

  async publish(channel: string, message: unknown): Promise<void> {
    await this.publisher.publish(this.full(channel), JSON.stringify(message));
  }

  async subscribe(channel: string, handler: MessageHandler): Promise<void> {
    const name = this.full(channel);
    const list = this.handlers.get(name) ?? [];
    list.push(handler);
    this.handlers.set(name, list);
    const sub = (this.subscriber ??= this.makeSubscriber());
    if (!this.listening) {
      this.listening = true;
      sub.on('message', (ch: string, raw: string) => {
        let parsed: unknown;
        try {
          parsed = JSON.parse(raw);
        } catch {
          this.logger.warn({ channel: ch }, 'ignoring a pub/sub message that is not JSON');
          return;
        }
        for (const h of this.handlers.get(ch) ?? []) {
          Promise.resolve(h(parsed)).catch((err: Error) => this.logger.error({ channel: ch, err: err.message }, 'pub/sub handler failed'));
        }
      });
    }
    if (list.length === 1) await sub.subscribe(name);
  }

  get prefixValue(): string {
    return this.prefix;
  }

  async close(close: (conn: Redis) => Promise<void>): Promise<void> {
    if (this.subscriber) await close(this.subscriber);
  }
}
