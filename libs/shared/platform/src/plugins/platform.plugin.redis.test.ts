import { Type } from '@sinclair/typebox';
import { RelabelError } from '@relabel/contracts';
import { createFastify, DEFAULT_BODY_LIMIT } from '../server/create-fastify';
import { testConfig } from '../testing';
import { platformPlugin } from './platform.plugin';

describe('platformPlugin', () => {
  const config = testConfig();
  const app = createFastify({ logger: false });

  beforeAll(async () => {
    await app.register(platformPlugin, { service: 'detector', config });
    app.get('/boom/:kind', { schema: { params: Type.Object({ kind: Type.String() }) } }, async (request) => {
      // typed by the route schema: the instance keeps the TypeBox provider
      const kind: string = request.params.kind;
      if (kind === 'coded') throw new RelabelError('IMAGE_CORRUPT', 'bad bytes', { limit: 3 });
      if (kind === 'limited') throw new RelabelError('AUTH_RATE_LIMITED', 'slow down', { retryAfterSeconds: 7 });
      if (kind === 'busy') throw new RelabelError('DETECTION_BUSY');
      throw new Error('secret internals');
    });
    app.post('/json', async (request) => ({ size: JSON.stringify(request.body).length }));
    await app.ready();
  });

  afterAll(async () => {
    await app.close();
    await config.cleanup();
  });

  it('answers health and readiness', async () => {
    expect((await app.inject('/healthz')).json()).toEqual({ status: 'ok', service: 'detector' });
    const ready = await app.inject('/readyz');
    expect(ready.statusCode).toBe(200);
    expect(ready.json().checks.redis).toBe('ok');
  });

  it('exposes Prometheus metrics with HTTP timings', async () => {
    await app.inject('/healthz');
    const res = await app.inject('/metrics');
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.body).toContain('relabel_http_request_duration_seconds_bucket');
    expect(res.body).toContain('process_cpu_user_seconds_total');
  });

  it('serves the OpenAPI description', async () => {
    const res = await app.inject('/docs/json');
    expect(res.statusCode).toBe(200);
    expect(res.json().openapi).toMatch(/^3\./);
  });

  it('maps errors to stable codes without leaking internals', async () => {
    const coded = await app.inject('/boom/coded');
    expect(coded.statusCode).toBe(422);
    expect(coded.json()).toEqual({ code: 'IMAGE_CORRUPT', message: 'bad bytes', details: { limit: 3 } });
    const limited = await app.inject('/boom/limited');
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toBe('7');
    // no code is special: a catalog error without retryAfterSeconds sets no Retry-After
    const busy = await app.inject('/boom/busy');
    expect(busy.statusCode).toBe(503);
    expect(busy.headers['retry-after']).toBeUndefined();
    const internal = await app.inject('/boom/other');
    expect(internal.statusCode).toBe(500);
    expect(internal.json().code).toBe('INTERNAL');
    expect(internal.body).not.toContain('secret internals');
    expect((await app.inject('/nowhere')).json().code).toBe('NOT_FOUND');
  });

  it('answers a body over the default limit as REQUEST_INVALID, not as an image error', async () => {
    const res = await app.inject({ method: 'POST', url: '/json', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ pad: 'x'.repeat(DEFAULT_BODY_LIMIT) }) });
    expect(res.statusCode).toBe(413);
    expect(res.json().code).toBe('REQUEST_INVALID');
  });

  it('carries the operator parameters', () => {
    expect(app.parameters.current()['Minimum-F1-Score']).toBe(0.8);
  });
});
