import type { Redis } from 'ioredis';
import { RelabelError } from '@relabel/contracts';
import type { Logger } from '@relabel/ports';

/**
 * BullMQ needs `maxmemory-policy noeviction`: any other policy lets Redis silently drop queued
 * jobs and locks under memory pressure. Checked at boot: a wrong policy is a warning in the local
 * profile and refuses the boot in aws. Managed Redis (ElastiCache) forbids CONFIG GET; that is only
 * a warning, since the policy is then set by the provisioning (see docker/README.md).
 */
export async function checkEvictionPolicy(redis: Pick<Redis, 'config'>, profile: 'local' | 'aws', logger: Logger): Promise<string | null> {
  let policy: string | null;
  try {
    const reply = (await redis.config('GET', 'maxmemory-policy')) as unknown as string[];
    policy = reply[1] ?? null;
  } catch (err) {
    logger.warn({ err: (err as Error).message }, 'cannot read maxmemory-policy (CONFIG GET refused, as on ElastiCache); make sure it is noeviction');
    return null;
  }
  if (policy === 'noeviction') return policy;
  const message = `Redis maxmemory-policy is ${policy ?? 'unknown'}; queues need noeviction (redis-server --maxmemory-policy noeviction)`;
  if (profile === 'aws') throw new RelabelError('REDIS_EVICTION_POLICY', message);
  logger.warn({ policy }, message);
  return policy;
}
