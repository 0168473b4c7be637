import type { FastifyInstance } from 'fastify';
import { freePort, TEST_ADMIN_TOKEN, testConfig } from '@relabel/platform/testing';
import { PARAMETER_NAMES } from '@relabel/contracts';
import { buildApp } from '../app';

describe('console API: session, CSRF and data (real local adapters, real Redis)', () => {
  let config: ReturnType<typeof testConfig>;
  let app: FastifyInstance;
  beforeEach(async () => {
    // nothing listens on these ports: the other services are "down"
    const down = `http://127.0.0.1:${await freePort()}`;
    config = testConfig({ RELABEL_TRAINER_URL: down, RELABEL_DETECTOR_URL: down, RELABEL_LABELER_URL: down });
    app = await buildApp({ config, logger: false });
    await app.ready();
  });
  afterEach(async () => {
    await app.close();
    await config.cleanup();
  });

  const login = async (token = TEST_ADMIN_TOKEN) => {
    const res = await app.inject({ method: 'POST', url: '/console/api/session', payload: { token } });
    const cookie = String(res.headers['set-cookie'] ?? '');
    return { res, cookie: cookie.split(';')[0]!, setCookie: cookie, csrf: res.statusCode === 200 ? (res.json().csrf as string) : '' };
  };

  it('serves the page to anyone but no data without a session', async () => {
    const page = await app.inject({ url: '/console' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.body).toContain('/console/assets/console-app.js');
    expect((await app.inject({ url: '/console/assets/console-app.js' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/console/assets/nope.js' })).statusCode).toBe(404);
    for (const url of ['/console/api/overview', '/console/api/parameters', '/console/api/models', '/console/api/reviews', '/console/api/session']) {
      const res = await app.inject({ url });
      expect([url, res.statusCode, res.json().code]).toEqual([url, 401, 'AUTH_REQUIRED']);
    }
    expect((await app.inject({ url: '/console/api/parameters', headers: { cookie: 'relabel_console=forged' } })).statusCode).toBe(401);
  });

  it('logs in with the admin token into an HttpOnly SameSite=Strict cookie; a wrong token is refused', async () => {
    const wrong = await login('not-the-admin-token');
    expect(wrong.res.statusCode).toBe(401);
    expect(wrong.res.json().code).toBe('AUTH_INVALID');
    expect(wrong.setCookie).toBe('');

    const { setCookie, cookie, csrf } = await login();
    expect(setCookie).toMatch(/^relabel_console=[A-Za-z0-9_-]{40,}; Path=\/console; HttpOnly; SameSite=Strict; Max-Age=43200$/);
    expect(csrf.length).toBeGreaterThan(20);
    expect((await app.inject({ url: '/console/api/session', headers: { cookie } })).json()).toEqual({ csrf });
    const params = await app.inject({ url: '/console/api/parameters', headers: { cookie } });
    expect(params.json().items).toHaveLength(PARAMETER_NAMES.length);
  });

  it('writes need the session CSRF token; a refused value carries the API message; logout ends the session', async () => {
    const { cookie, csrf } = await login();
    const put = (value: unknown, headers: Record<string, string>) => app.inject({ method: 'PUT', url: '/console/api/parameters/Minimum-F1-Score', headers, payload: { value } });
    const noCsrf = await put('0.6', { cookie });
    expect([noCsrf.statusCode, noCsrf.json().code]).toEqual([403, 'AUTH_CSRF']);
    expect((await put('0.6', { cookie, 'x-csrf-token': `${csrf}x` })).statusCode).toBe(403);

    const refused = await put('1.5', { cookie, 'x-csrf-token': csrf });
    const api = await app.inject({ method: 'PUT', url: '/parameters/Minimum-F1-Score', headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` }, payload: { value: '1.5' } });
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toEqual(api.json());

    const ok = await put('0.6', { cookie, 'x-csrf-token': csrf });
    expect(ok.json()).toMatchObject({ changed: true, previous: '0.8', parameter: { value: 0.6 } });
    const history = await app.inject({ url: '/console/api/parameters/history', headers: { cookie } });
    expect(history.json().items[0]).toMatchObject({ name: 'Minimum-F1-Score', oldValue: '0.8', newValue: '0.6', source: expect.stringMatching(/^api:console@/) });

    const out = await app.inject({ method: 'DELETE', url: '/console/api/session', headers: { cookie, 'x-csrf-token': csrf } });
    expect(out.statusCode).toBe(204);
    expect(String(out.headers['set-cookie'])).toContain('Max-Age=0');
    expect((await app.inject({ url: '/console/api/parameters', headers: { cookie } })).statusCode).toBe(401);
  });

  it('answers the overview with the services that are down named, and refuses images outside images_for_detection/', async () => {
    const { cookie } = await login();
    const overview = (await app.inject({ url: '/console/api/overview', headers: { cookie } })).json();
    expect(overview.status).toMatchObject({ activeModel: null, untrainedImages: { untrained: 0 } });
    expect(overview.parameters['Minimum-Untrained-Images']).toBe(10);
    expect(overview.unavailable.map((u: { section: string }) => u.section).sort()).toEqual(['detections', 'models', 'trainings']);
    expect(overview.unavailable[0].message).toMatch(/not reachable at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);
    const models = await app.inject({ url: '/console/api/models', headers: { cookie } });
    expect([models.statusCode, models.json().code]).toEqual([503, 'DEPENDENCY_UNAVAILABLE']);

    await app.providers.objectStore.put('images_for_detection/a.png', Buffer.from('png bytes'));
    await app.providers.objectStore.put('images_labeled_by_folder/cat/b.png', Buffer.from('png bytes'));
    const image = await app.inject({ url: '/console/api/image?key=images_for_detection/a.png', headers: { cookie } });
    expect([image.statusCode, image.headers['content-type'], image.body]).toEqual([200, 'image/png', 'png bytes']);
    const outside = await app.inject({ url: '/console/api/image?key=images_labeled_by_folder/cat/b.png', headers: { cookie } });
    expect([outside.statusCode, outside.json().code]).toEqual([400, 'STORE_INVALID_KEY']);
    expect((await app.inject({ url: '/console/api/image?key=images_for_detection/a.png' })).statusCode).toBe(401);
  });
});
