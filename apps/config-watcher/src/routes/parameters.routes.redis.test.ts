import { promises as fs } from 'fs';
import path from 'path';
import type { FastifyInstance } from 'fastify';
import IORedis from 'ioredis';
import type { Notification } from '@relabel/ports';
import { configChangedChannel } from '@relabel/platform';
import { TEST_ADMIN_TOKEN, TEST_REDIS_URL, testConfig } from '@relabel/platform/testing';
import { buildApp } from '../app';
import { waitFor } from '@relabel/ports/testing';

const auth = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };

describe('config-watcher parameters API (real local adapters, real Redis)', () => {
  let config: ReturnType<typeof testConfig>;
  let app: FastifyInstance;
  let notes: Notification[];
  let subscriber: IORedis;
  let published: Array<{ names: string[] }>;

  beforeEach(async () => {
    config = testConfig();
    notes = [];
    published = [];
    subscriber = new IORedis(TEST_REDIS_URL);
    await subscriber.subscribe(configChangedChannel(config.keyPrefix));
    subscriber.on('message', (_ch, raw) => published.push(JSON.parse(raw)));
    app = await buildApp({ config, logger: false, providers: { notifier: { notify: async (n) => void notes.push(n) } } });
    await app.ready();
  });
  afterEach(async () => {
    await app.close();
    subscriber.disconnect();
    await config.cleanup();
  });

  const put = (name: string, value: unknown, headers: Record<string, string> = auth) =>
    app.inject({ method: 'PUT', url: `/parameters/${name}`, headers, payload: { value } });
  const get = (url: string) => app.inject({ method: 'GET', url, headers: auth });

  it('refuses requests without the admin token or with a wrong one', async () => {
    expect((await app.inject({ method: 'GET', url: '/parameters' })).json()).toMatchObject({ code: 'AUTH_REQUIRED' });
    const wrong = await app.inject({ method: 'GET', url: '/status', headers: { authorization: 'Bearer nope-nope-nope' } });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json()).toMatchObject({ code: 'AUTH_INVALID' });
    expect((await put('Minimum-F1-Score', '0.5', {})).statusCode).toBe(401);
  });

  it('lists the nine parameters with their defaults and ranges', async () => {
    const res = await get('/parameters');
    expect(res.statusCode).toBe(200);
    const items = res.json().items as Array<Record<string, unknown>>;
    expect(items.map((p) => p.name)).toHaveLength(9);
    expect(items.find((p) => p.name === 'Minimum-F1-Score')).toMatchObject({ value: 0.8, stored: '0.8', allowed: 'number from 0 to 1', type: 'number' });
    expect((await get('/parameters/Enable-A2I-Workflow')).json()).toMatchObject({ value: true, stored: 'true', allowed: 'true or false' });
  });

  const refused: unknown[] = ['1.5', 'abc', '1,0', '', null, [0.5], '9'.repeat(10_000)];
  it.each(refused.map((v) => [JSON.stringify(v).slice(0, 16), v]))('refuses Minimum-F1-Score = %s with 400 naming the range, changing nothing', async (_shown, value) => {
    const res = await put('Minimum-F1-Score', value);
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.code).toBe('PARAM_INVALID');
    expect(body.message).toContain('Minimum-F1-Score');
    expect(body.message).toContain('number from 0 to 1');
    expect(body.details).toMatchObject({ parameter: 'Minimum-F1-Score', allowed: 'number from 0 to 1' });
    expect((await get('/parameters/Minimum-F1-Score')).json()).toMatchObject({ value: 0.8, stored: '0.8', version: 1 });
    expect((await get('/parameters/history?name=Minimum-F1-Score')).json().items).toHaveLength(1);
  });

  it('answers 404 PARAM_UNKNOWN for a name that is not a parameter', async () => {
    expect((await put('Maximum-Fun', '1')).json()).toMatchObject({ code: 'PARAM_UNKNOWN' });
    const res = await get('/parameters/Maximum-Fun');
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('PARAM_UNKNOWN');
    expect((await get('/parameters/history?name=Maximum-Fun')).statusCode).toBe(404);
  });

  it('accepts 0.85: visible in GET and history, and announced on config.changed before answering', async () => {
    const res = await put('Minimum-F1-Score', '0.85');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ changed: true, previous: '0.8', parameter: { value: 0.85, stored: '0.85', version: 2 } });
    expect((await get('/parameters/Minimum-F1-Score')).json()).toMatchObject({ value: 0.85 });
    const history = (await get('/parameters/history')).json();
    expect(history.items[0]).toMatchObject({ name: 'Minimum-F1-Score', oldValue: '0.8', newValue: '0.85', source: 'api:bootstrap-admin', account: 'bootstrap-admin' });
    await waitFor(() => published.some((m) => m.names.includes('Minimum-F1-Score')));
  });

  it('accepts JSON numbers and booleans and any-case booleans, stored in canonical form', async () => {
    expect((await put('Automatic-Training-Poll-Frequency', 30)).json().parameter).toMatchObject({ value: 30, stored: '30' });
    expect((await put('Enable-Automatic-Training', 'FALSE')).json().parameter).toMatchObject({ value: false, stored: 'false' });
    expect((await put('Enable-A2I-Workflow', false)).json().parameter).toMatchObject({ value: false, stored: 'false' });
    expect((await put('Minimum-F1-Score', '0.80')).json()).toMatchObject({ changed: false, parameter: { stored: '0.8' } });
    expect((await put('Automatic-Training-Poll-Frequency', 1.5)).statusCode).toBe(400);
  });

  it('pages the history newest first', async () => {
    for (const v of ['2', '3', '4']) await put('Minimum-Inference-Units', v);
    const first = (await get('/parameters/history?name=Minimum-Inference-Units&limit=2')).json();
    expect(first.items.map((c: { newValue: string }) => c.newValue)).toEqual(['4', '3']);
    const second = (await get(`/parameters/history?name=Minimum-Inference-Units&limit=2&cursor=${first.nextCursor}`)).json();
    expect(second.items.map((c: { newValue: string }) => c.newValue)).toEqual(['2', '1']);
    expect(second.nextCursor).toBeUndefined();
  });

  it('ignores a bad value edited into the file: old value in force, shown in /status, operator notified; fixing it clears it', async () => {
    await put('Minimum-Label-Detection-Confidence', '60');
    await editFile(path.join(config.dataDir, 'parameters.json'), 'Minimum-Label-Detection-Confidence', '250');
    await waitFor(async () => (await get('/status')).json().invalidParameters.length === 1);
    const status = (await get('/status')).json();
    expect(status.invalidParameters[0]).toMatchObject({ name: 'Minimum-Label-Detection-Confidence', value: '250', inForce: 60 });
    expect((await get('/parameters/Minimum-Label-Detection-Confidence')).json()).toMatchObject({ value: 60, stored: '250', problem: expect.stringContaining('from 0 to 100') });
    expect(notes).toEqual([expect.objectContaining({ channel: 'operator', type: 'parameter.invalid', data: expect.objectContaining({ parameter: 'Minimum-Label-Detection-Confidence', value: '250' }) })]);
    const history = (await get('/parameters/history?name=Minimum-Label-Detection-Confidence')).json();
    expect(history.items[0]).toMatchObject({ oldValue: '60', newValue: '250', source: 'out-of-band', account: null });

    await editFile(path.join(config.dataDir, 'parameters.json'), 'Minimum-Label-Detection-Confidence', '65');
    await waitFor(async () => (await get('/status')).json().invalidParameters.length === 0);
    expect((await get('/parameters/Minimum-Label-Detection-Confidence')).json()).toMatchObject({ value: 65 });
    expect(notes.map((n) => n.type)).toEqual(['parameter.invalid', 'parameter.fixed']);
    expect((await get('/status')).json().recentInvalidParameters[0]).toMatchObject({ value: '250', clearedAt: expect.any(String) });
    expect((await app.inject({ method: 'GET', url: '/metrics' })).body).toMatch(/relabel_parameter_invalid_values\{[^}]*\} 0/);
    await waitFor(() => published.some((m) => m.names.includes('Minimum-Label-Detection-Confidence')));
  });
});

async function editFile(file: string, name: string, value: string): Promise<void> {
  const content = JSON.parse(await fs.readFile(file, 'utf8'));
  content[`/relabel/${name}`].Value = value;
  await fs.writeFile(file, JSON.stringify(content, null, 2));
}
