import type { FastifyInstance } from 'fastify';
import { createFastify, platformPlugin } from '@relabel/platform';
import { TEST_ADMIN_TOKEN, testConfig } from '@relabel/platform/testing';
import { buildApp } from './app';

describe('config-watcher → another service, over real Redis', () => {
  let config: ReturnType<typeof testConfig>;
  let watcher: FastifyInstance;
  let trainer: FastifyInstance;
  beforeEach(async () => {
    config = testConfig();
    watcher = await buildApp({ config, logger: false });
    await watcher.ready();
    // any service: the platform alone gives it `app.parameters`
    trainer = createFastify({ logger: false });
    await trainer.register(platformPlugin, { service: 'trainer', config });
    await trainer.ready();
  });
  afterEach(async () => {
    await trainer.close();
    await watcher.close();
    await config.cleanup();
  });

  it('a PUT is in force in the other service, which hears which names changed', async () => {
    const heard: string[][] = [];
    trainer.parameters.onChange((_next, names) => void heard.push(names));
    const res = await watcher.inject({
      method: 'PUT',
      url: '/parameters/Enable-Automatic-Training',
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
      payload: { value: 'false' },
    });
    expect(res.statusCode).toBe(200);
    const deadline = Date.now() + 5000;
    while (trainer.parameters.current()['Enable-Automatic-Training'] !== false && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(trainer.parameters.current()['Enable-Automatic-Training']).toBe(false);
    expect(heard).toEqual([['Enable-Automatic-Training']]);
  });
});
