import { createServer, IncomingHttpHeaders } from 'http';
import type { AddressInfo } from 'net';
import type { FastifyInstance } from 'fastify';
import { freePort, seedAccount, sessionCookie, TEST_ADMIN_TOKEN, testConfig } from '@relabel/platform/testing';
import { PARAMETER_NAMES } from '@relabel/contracts';
import { buildApp } from '../app';

describe('console API: platform sessions, roles, CSRF, accounts and data (real local adapters, real Redis)', () => {
  let config: ReturnType<typeof testConfig>;
  let app: FastifyInstance;
  let trainerUrl: string;
  // a trainer stand-in that records how the console called it (the real one is in e2e/src/console.browser.test.ts)
  const trainerCalls: Array<{ url?: string; headers: IncomingHttpHeaders }> = [];
  const trainer = createServer((req, res) => {
    if (req.method !== 'POST') return res.writeHead(500).end('{}');
    trainerCalls.push({ url: req.url, headers: req.headers });
    req.resume().on('end', () => res.writeHead(202, { 'content-type': 'application/json' }).end(JSON.stringify({ id: 'training-1' })));
  });
  beforeAll(async () => {
    await new Promise<void>((resolve) => trainer.listen(0, '127.0.0.1', resolve));
    trainerUrl = `http://127.0.0.1:${(trainer.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => {
    trainer.close(() => resolve());
    trainer.closeAllConnections();
  }));
  beforeEach(async () => {
    // nothing listens on these ports: detector and labeler are "down" (the trainer stand-in fails every read)
    const down = `http://127.0.0.1:${await freePort()}`;
    config = testConfig({ RELABEL_TRAINER_URL: trainerUrl, RELABEL_DETECTOR_URL: down, RELABEL_LABELER_URL: down });
    app = await buildApp({ config, logger: false });
    await app.ready();
  });
  afterEach(async () => {
    await app.close();
    await config.cleanup();
  });

  const login = async (payload: { name: string; password: string } | { token: string }) => {
    const res = await app.inject({ method: 'POST', url: '/console/api/session', payload });
    const setCookie = String(res.headers['set-cookie'] ?? '');
    const cookie = res.statusCode === 200 ? sessionCookie(setCookie) : '';
    const csrf = res.statusCode === 200 ? (res.json().csrfToken as string) : '';
    return { res, setCookie, cookie, csrf, headers: { cookie, 'x-csrf-token': csrf } };
  };
  const operator = async () => {
    const olga = await seedAccount(app, { name: 'olga', role: 'operator' });
    return login({ name: olga.name, password: olga.password });
  };

  it('serves the page to anyone but no data without a session', async () => {
    const page = await app.inject({ url: '/console' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.body).toContain('/console/assets/console-app.js');
    expect((await app.inject({ url: '/console/assets/console-app.js' })).statusCode).toBe(200);
    // the files both pages share (platform pages/), under the console's own path and CSP
    const shared = await app.inject({ url: '/console/assets/page-base.js' });
    expect([shared.statusCode, shared.headers['content-security-policy']]).toEqual([200, page.headers['content-security-policy']]);
    expect((await app.inject({ url: '/console/assets/nope.js' })).statusCode).toBe(404);
    for (const url of ['/console/api/overview', '/console/api/parameters', '/console/api/models', '/console/api/reviews', '/console/api/session', '/console/api/accounts']) {
      const res = await app.inject({ url });
      expect([url, res.statusCode, res.json().code]).toEqual([url, 401, 'AUTH_REQUIRED']);
    }
    const forged = await app.inject({ url: '/console/api/parameters', headers: { cookie: 'relabel_session=forged' } });
    expect([forged.statusCode, forged.json().code]).toEqual([401, 'AUTH_INVALID']);
  });

  it('logs an operator account in to the platform session; a reviewer is refused 403, a wrong password 401', async () => {
    const rita = await seedAccount(app, { name: 'rita', role: 'reviewer' });
    const reviewer = await login({ name: rita.name, password: rita.password });
    expect([reviewer.res.statusCode, reviewer.res.json().code, reviewer.setCookie]).toEqual([403, 'AUTH_FORBIDDEN', '']);
    // a reviewer's session opened elsewhere (the review page) does not open the console either
    const review = await app.inject({ method: 'POST', url: '/auth/session', payload: { name: rita.name, password: rita.password } });
    const reviewCookie = sessionCookie(review.headers['set-cookie']);
    expect((await app.inject({ url: '/console/api/overview', headers: { cookie: reviewCookie } })).statusCode).toBe(403);

    const olga = await seedAccount(app, { name: 'olga', role: 'operator' });
    const wrong = await login({ name: 'olga', password: 'not-her-password' });
    expect([wrong.res.statusCode, wrong.res.json().code, wrong.setCookie]).toEqual([401, 'AUTH_INVALID', '']);

    const { res, setCookie, cookie, csrf } = await login({ name: olga.name, password: olga.password });
    expect(res.json()).toMatchObject({ name: 'olga', role: 'operator', csrfToken: csrf });
    expect(setCookie).toMatch(/^relabel_session=[^;]+; .*HttpOnly/);
    expect(setCookie).toContain('SameSite=Strict');
    expect((await app.inject({ url: '/console/api/session', headers: { cookie } })).json()).toMatchObject({ name: 'olga', role: 'operator', csrfToken: csrf });
    const params = await app.inject({ url: '/console/api/parameters', headers: { cookie } });
    expect(params.json().items).toHaveLength(PARAMETER_NAMES.length);
    // the bootstrap admin token logs in too, as bootstrap-admin
    expect((await login({ token: TEST_ADMIN_TOKEN })).res.json()).toMatchObject({ name: 'bootstrap-admin', role: 'admin' });
    expect((await login({ token: 'not-the-admin-token' })).res.statusCode).toBe(401);
  });

  it('writes need the session CSRF token and record the operator; logout ends the session in every route', async () => {
    const { cookie, csrf, headers } = await operator();
    const put = (value: unknown, h: Record<string, string>) => app.inject({ method: 'PUT', url: '/console/api/parameters/Minimum-F1-Score', headers: h, payload: { value } });
    const noCsrf = await put('0.6', { cookie });
    expect([noCsrf.statusCode, noCsrf.json().code]).toEqual([403, 'AUTH_CSRF']);
    expect((await put('0.6', { cookie, 'x-csrf-token': `${csrf}x` })).statusCode).toBe(403);

    const refused = await put('1.5', headers);
    const api = await app.inject({ method: 'PUT', url: '/parameters/Minimum-F1-Score', headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` }, payload: { value: '1.5' } });
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toEqual(api.json());

    const ok = await put('0.6', headers);
    expect(ok.json()).toMatchObject({ changed: true, previous: '0.8', parameter: { value: 0.6 } });
    const history = await app.inject({ url: '/console/api/parameters/history', headers: { cookie } });
    expect(history.json().items[0]).toMatchObject({ name: 'Minimum-F1-Score', oldValue: '0.8', newValue: '0.6', source: 'api:olga', account: 'olga' });

    const out = await app.inject({ method: 'DELETE', url: '/console/api/session', headers });
    expect(out.statusCode).toBe(204);
    expect(String(out.headers['set-cookie'])).toContain('Max-Age=0');
    expect((await app.inject({ url: '/console/api/parameters', headers: { cookie } })).statusCode).toBe(401);
    // the session was the platform's: it is gone for the other routes (and services) too
    expect((await app.inject({ url: '/auth/session', headers: { cookie } })).statusCode).toBe(401);
  });

  it("sends a training and a deploy to the trainer with the operator's session, not the admin token", async () => {
    const { cookie, csrf, headers } = await operator();
    trainerCalls.length = 0;
    const noCsrf = await app.inject({ method: 'POST', url: '/console/api/trainings', headers: { cookie }, payload: { force: true } });
    expect(noCsrf.statusCode).toBe(403);
    const training = await app.inject({ method: 'POST', url: '/console/api/trainings', headers, payload: { force: true } });
    expect([training.statusCode, training.json()]).toEqual([202, { id: 'training-1' }]);
    const deploy = await app.inject({ method: 'POST', url: '/console/api/models/v1/deploy', headers });
    expect(deploy.statusCode).toBe(202);
    expect(trainerCalls.map((c) => [c.url, c.headers.cookie, c.headers['x-csrf-token'], c.headers.authorization])).toEqual([
      ['/trainings', cookie, csrf, undefined],
      ['/models/v1/deploy', cookie, csrf, undefined],
    ]);
  });

  it('lets an admin list, create, issue a token for, revoke and delete accounts; an operator is refused', async () => {
    const op = await operator();
    const refused = await app.inject({ url: '/console/api/accounts', headers: op.headers });
    expect([refused.statusCode, refused.json().code]).toEqual([403, 'AUTH_FORBIDDEN']);

    const ada = await seedAccount(app, { name: 'ada', role: 'admin' });
    const { cookie, headers } = await login({ name: ada.name, password: ada.password });
    const noCsrf = await app.inject({ method: 'POST', url: '/console/api/accounts', headers: { cookie }, payload: { name: 'rita', role: 'reviewer', password: 'a-long-passphrase' } });
    expect(noCsrf.statusCode).toBe(403);
    const created = await app.inject({ method: 'POST', url: '/console/api/accounts', headers, payload: { name: 'Rita', role: 'reviewer', password: 'a-long-passphrase' } });
    expect([created.statusCode, created.json().account]).toEqual([201, expect.objectContaining({ name: 'rita', role: 'reviewer', createdBy: 'ada', hasPassword: true, tokens: [] })]);
    const short = await app.inject({ method: 'POST', url: '/console/api/accounts', headers, payload: { name: 'tom', role: 'reviewer', password: 'short' } });
    expect([short.statusCode, short.json().code]).toEqual([400, 'ACCOUNT_INVALID']);

    const issued = await app.inject({ method: 'POST', url: '/console/api/accounts/rita/tokens', headers, payload: {} });
    const { id, token } = issued.json() as { id: string; token: string };
    expect(issued.statusCode).toBe(201);
    const asRita = () => app.inject({ url: '/auth/session', headers: { authorization: `Bearer ${token}` } });
    expect((await asRita()).json()).toMatchObject({ name: 'rita', role: 'reviewer' });
    const listed = (await app.inject({ url: '/console/api/accounts', headers: { cookie } })).json().items as Array<{ name: string; tokens: Array<{ id: string }>; events: Array<{ by: string; action: string }> }>;
    const rita = listed.find((a) => a.name === 'rita')!;
    expect(rita.tokens.map((t) => t.id)).toEqual([id]);
    expect(JSON.stringify(listed)).not.toContain(token);
    expect(rita.events.map((e) => [e.by, e.action])).toEqual([['ada', 'created as reviewer'], ['ada', `token ${id} issued`]]);

    expect((await app.inject({ method: 'DELETE', url: `/console/api/accounts/rita/tokens/${id}`, headers })).statusCode).toBe(200);
    expect((await asRita()).statusCode).toBe(401);
    const deleted = await app.inject({ method: 'DELETE', url: '/console/api/accounts/rita', headers });
    expect(deleted.json()).toMatchObject({ name: 'rita', deletedBy: 'ada' });
    expect((await app.inject({ method: 'POST', url: '/auth/session', payload: { name: 'rita', password: 'a-long-passphrase' } })).statusCode).toBe(401);
  });

  it('answers the overview with the services that are down named, and refuses images outside images_for_detection/', async () => {
    const { cookie } = await operator();
    const overview = (await app.inject({ url: '/console/api/overview', headers: { cookie } })).json();
    expect(overview.status).toMatchObject({ activeModel: null, untrainedImages: { untrained: 0 } });
    expect(overview.parameters['Minimum-Untrained-Images']).toBe(10);
    expect(overview.unavailable.map((u: { section: string }) => u.section)).toContain('detections');
    expect(overview.unavailable.find((u: { section: string }) => u.section === 'detections').message).toMatch(/not reachable at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);
    const detections = await app.inject({ url: '/console/api/detections', headers: { cookie } });
    expect([detections.statusCode, detections.json().code]).toEqual([503, 'DEPENDENCY_UNAVAILABLE']);

    await app.providers.objectStore.put('images_for_detection/a.png', Buffer.from('png bytes'));
    await app.providers.objectStore.put('images_labeled_by_folder/cat/b.png', Buffer.from('png bytes'));
    const image = await app.inject({ url: '/console/api/image?key=images_for_detection/a.png', headers: { cookie } });
    expect([image.statusCode, image.headers['content-type'], image.body]).toEqual([200, 'image/png', 'png bytes']);
    const outside = await app.inject({ url: '/console/api/image?key=images_labeled_by_folder/cat/b.png', headers: { cookie } });
    expect([outside.statusCode, outside.json().code]).toEqual([400, 'STORE_INVALID_KEY']);
    expect((await app.inject({ url: '/console/api/image?key=images_for_detection/a.png' })).statusCode).toBe(401);
  });
});
