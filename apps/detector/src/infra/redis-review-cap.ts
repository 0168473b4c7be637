import type { Redis } from 'ioredis';
import { RelabelError } from '@relabel/contracts';
import { capWindow, type ReviewCap } from '../domain/review-cap';

// Take a slot only while under the cap, in one step, so replicas racing for the last slot get one each at most.
const TAKE_SCRIPT = `
local n = redis.call('incr', KEYS[1])
if n == 1 then redis.call('expire', KEYS[1], ARGV[2]) end
if n > tonumber(ARGV[1]) then redis.call('decr', KEYS[1]) return 0 end
return 1`;
const GIVE_BACK_SCRIPT = "if tonumber(redis.call('get', KEYS[1]) or '0') > 0 then return redis.call('decr', KEYS[1]) end return 0";
/** a window's counter outlives its hour a little, for clocks that disagree by seconds */
const WINDOW_TTL_S = 2 * 3600;

/**
 * ReviewCap as a fixed-window counter in Redis. The counter is not durable: if Redis is lost, the
 * current hour starts again from zero — at most one extra hour's worth of loops, which is what a
 * rate cap can afford; the loops themselves are durable in the review service.
 */
export class RedisReviewCap implements ReviewCap {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    private readonly perHour: number,
  ) {}

  private key(at: Date): string {
    return `${this.keyPrefix}:detector:review-cap:${capWindow(at)}`;
  }

  async tryTake(at: Date): Promise<boolean> {
    try {
      return (await this.redis.eval(TAKE_SCRIPT, 1, this.key(at), this.perHour, WINDOW_TTL_S)) === 1;
    } catch (err) {
      throw new RelabelError('DEPENDENCY_UNAVAILABLE', 'Redis is unavailable; cannot count review loops against the cap', undefined, { cause: err });
    }
  }

  async giveBack(at: Date): Promise<void> {
    await this.redis.eval(GIVE_BACK_SCRIPT, 1, this.key(at));
  }
}
