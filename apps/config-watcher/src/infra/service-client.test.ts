import { createServer, Server } from 'http';
import { AddressInfo } from 'net';
import { isErrorCode } from '@relabel/contracts';
import { freePort } from '@relabel/platform/testing';
import { httpServiceClient } from './service-client';

describe('httpServiceClient', () => {
  let server: Server;
  let base: string;
  const seen: Array<{ method?: string; url?: string; auth?: string; cookie?: string; csrf?: string | string[]; body: string }> = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        seen.push({ method: req.method, url: req.url, auth: req.headers.authorization, cookie: req.headers.cookie, csrf: req.headers['x-csrf-token'], body });
        const reply = (status: number, data: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(data));
        if (req.url === '/ok') return reply(200, { items: [1] });
        if (req.url === '/missing') return reply(404, { code: 'MODEL_NOT_FOUND', message: 'no model version v9' });
        if (req.url === '/refused') return reply(401, { code: 'AUTH_INVALID', message: 'The credentials are invalid' });
        return reply(500, { oops: true });
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const client = () => httpServiceClient('trainer', base, 'the-admin-token');
  const failure = (p: Promise<unknown>) => p.then(() => null, (err: unknown) => err as Error);

  it('sends the admin token and JSON, and answers the body', async () => {
    expect(await client().get('/ok')).toEqual({ items: [1] });
    await client().post('/ok', { force: true });
    expect(seen.slice(-2)).toEqual([
      { method: 'GET', url: '/ok', auth: 'Bearer the-admin-token', cookie: undefined, csrf: undefined, body: '' },
      { method: 'POST', url: '/ok', auth: 'Bearer the-admin-token', cookie: undefined, csrf: undefined, body: '{"force":true}' },
    ]);
  });

  it("sends forwarded credentials instead of the admin token, and says so when they are refused", async () => {
    await client().post('/ok', { force: false }, { cookie: 'relabel_session=abc', 'x-csrf-token': 'c1' });
    expect(seen.at(-1)).toEqual({ method: 'POST', url: '/ok', auth: undefined, cookie: 'relabel_session=abc', csrf: 'c1', body: '{"force":false}' });
    const refused = await failure(client().post('/refused', {}, { cookie: 'relabel_session=abc', 'x-csrf-token': 'c1' }));
    expect(refused!.message).toBe('the trainer refused the forwarded session (AUTH_INVALID)');
  });

  it("passes the service's coded errors through, and names the service when it refuses the token, fails or is down", async () => {
    const missing = await failure(client().get('/missing'));
    expect(isErrorCode(missing, 'MODEL_NOT_FOUND')).toBe(true);
    expect(missing!.message).toBe('no model version v9');

    const refused = await failure(client().get('/refused'));
    expect(isErrorCode(refused, 'DEPENDENCY_UNAVAILABLE')).toBe(true);
    expect(refused!.message).toBe('the trainer refused the admin token (AUTH_INVALID)');

    const broken = await failure(client().get('/broken'));
    expect(broken!.message).toBe('the trainer answered 500 to GET /broken');

    const down = `http://127.0.0.1:${await freePort()}`;
    const unreachable = await failure(httpServiceClient('detector', down, 'x').get('/detections'));
    expect(isErrorCode(unreachable, 'DEPENDENCY_UNAVAILABLE')).toBe(true);
    expect(unreachable!.message).toBe(`the detector is not reachable at ${down} (ECONNREFUSED)`);
  });
});
