import { silentLogger } from '@relabel/ports';
import { checkEvictionPolicy } from './eviction-policy';

type ConfigCommand = Parameters<typeof checkEvictionPolicy>[0];

// Only CONFIG GET is used; the fakes answer it as ioredis does (a flat [name, value] reply).
const answering = (policy: string) => ({ config: async () => ['maxmemory-policy', policy] }) as unknown as ConfigCommand;
const refusing = { config: async () => Promise.reject(new Error("ERR unknown command 'CONFIG'")) } as unknown as ConfigCommand;

function recordingLogger() {
  const warnings: string[] = [];
  return { warnings, logger: { ...silentLogger, warn: (_obj: object | string, msg?: string) => void warnings.push(msg ?? String(_obj)) } };
}

describe('checkEvictionPolicy', () => {
  it('accepts noeviction silently in both profiles', async () => {
    const { warnings, logger } = recordingLogger();
    await expect(checkEvictionPolicy(answering('noeviction'), 'aws', logger)).resolves.toBe('noeviction');
    await expect(checkEvictionPolicy(answering('noeviction'), 'local', logger)).resolves.toBe('noeviction');
    expect(warnings).toEqual([]);
  });

  it('warns in the local profile and refuses in aws when keys may be evicted', async () => {
    const { warnings, logger } = recordingLogger();
    await expect(checkEvictionPolicy(answering('allkeys-lru'), 'local', logger)).resolves.toBe('allkeys-lru');
    expect(warnings).toEqual([expect.stringContaining('maxmemory-policy is allkeys-lru')]);
    await expect(checkEvictionPolicy(answering('volatile-lru'), 'aws', logger)).rejects.toMatchObject({ code: 'REDIS_EVICTION_POLICY' });
  });

  it('only warns when CONFIG GET is refused (ElastiCache), even in aws', async () => {
    const { warnings, logger } = recordingLogger();
    await expect(checkEvictionPolicy(refusing, 'aws', logger)).resolves.toBeNull();
    expect(warnings).toEqual([expect.stringContaining('cannot read maxmemory-policy')]);
  });
});
