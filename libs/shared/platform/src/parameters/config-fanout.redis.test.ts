import { randomBytes } from 'crypto';
import { promises as fs } from 'fs';
import os from 'os';
import path from 'path';
import { createFileParameterStore } from '@relabel/local-adapters';
import { silentLogger } from '@relabel/ports';
import { PubSub } from '../http/pubsub';
import { closeRedis, createRedis } from '../queues/redis';
import { cleanupRedisPrefix, TEST_REDIS_URL } from '../testing';
import { ParametersCache } from './parameters-cache';
import { publishConfigChanged } from './publish-config-changed';

describe('config.changed fan-out over real Redis', () => {
  const prefix = `t${randomBytes(5).toString('hex')}`;
  let dir: string;
  const closers: Array<() => Promise<void>> = [];
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'relabel-fanout-'));
  });
  afterAll(async () => {
    for (const close of closers.reverse()) await close();
    await cleanupRedisPrefix(prefix);
    await fs.rm(dir, { recursive: true, force: true });
  });

  /** One "service": its own Redis connections, store instance and cache, as in a separate process. */
  async function service() {
    const publisher = createRedis(TEST_REDIS_URL);
    const pubsub = new PubSub(publisher, () => createRedis(TEST_REDIS_URL, 'subscriber'), prefix, silentLogger);
    const store = createFileParameterStore({ logger: silentLogger }, { file: path.join(dir, 'parameters.json'), pathPrefix: '/relabel/' });
    // a refresh period far beyond the test, so only the message can explain the update
    const cache = new ParametersCache({ store, subscribe: (ch, h) => pubsub.subscribe(ch, h), logger: silentLogger, refreshMs: 600_000 });
    await cache.start();
    closers.push(async () => {
      await cache.stop();
      await store.close();
      await pubsub.close(closeRedis);
      await closeRedis(publisher);
    });
    return { store, cache, pubsub };
  }

  it('a change written by one service reaches the caches of the others through config.changed', async () => {
    const [writer, trainer, detector] = [await service(), await service(), await service()];
    const heard: string[][] = [];
    trainer.cache.onChange((_next, names) => void heard.push(names));
    await writer.store.put('Automatic-Training-Poll-Frequency', '15', { source: 'api:test' });
    await publishConfigChanged((ch, m) => writer.pubsub.publish(ch, m), { names: ['Automatic-Training-Poll-Frequency'], source: 'api:test' });
    const deadline = Date.now() + 5000;
    while ((trainer.cache.current()['Automatic-Training-Poll-Frequency'] !== 15 || detector.cache.current()['Automatic-Training-Poll-Frequency'] !== 15) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(trainer.cache.current()['Automatic-Training-Poll-Frequency']).toBe(15);
    expect(detector.cache.current()['Automatic-Training-Poll-Frequency']).toBe(15);
    expect(heard).toEqual([['Automatic-Training-Poll-Frequency']]);
  });
});
