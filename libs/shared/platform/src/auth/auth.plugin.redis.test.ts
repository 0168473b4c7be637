import type { FastifyInstance } from 'fastify';
import { createServiceApp } from '../server/create-service-app';
import { loginAs, seedAccount, sessionCookie, testConfig, TEST_ADMIN_TOKEN, TEST_REVIEWER_TOKEN } from '../testing';
import { LOGIN_LIMITS } from './login-limiter';

jest.setTimeout(30_000);

/** Two services over one data dir and one Redis prefix, as `npm start` runs them. */
describe('auth capability (real Redis, local account files)', () => {
  const config = testConfig();
  let a: FastifyInstance;
  let b: FastifyInstance;

  const routes = async (app: FastifyInstance) => {
    app.get('/who', { preHandler: app.requireReviewer }, async (request) => request.principal);
    app.post('/write', { preHandler: app.requireReviewer }, async (request) => ({ by: request.principal!.name }));
    app.get('/operate', { preHandler: app.requireOperator }, async () => ({ ok: true }));
    app.get('/administer', { preHandler: app.requireAdmin }, async () => ({ ok: true }));
  };

  beforeAll(async () => {
    a = await createServiceApp('config-watcher', { config, logger: false });
    b = await createServiceApp('labeler', { config, logger: false });
    await routes(a);
    await routes(b);
    await Promise.all([a.ready(), b.ready()]);
  });
  afterAll(async () => {
    await a.close();
    await b.close();
    await config.cleanup();
  });

  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  it('knows the env tokens as the bootstrap admin and reviewer, and refuses anything else', async () => {
    expect((await a.inject({ url: '/who', headers: bearer(TEST_ADMIN_TOKEN) })).json()).toEqual({ name: 'bootstrap-admin', role: 'admin', kind: 'bootstrap', via: 'token' });
    expect((await a.inject({ url: '/who', headers: bearer(TEST_REVIEWER_TOKEN) })).json()).toMatchObject({ name: 'bootstrap-reviewer', role: 'reviewer' });
    expect((await a.inject({ url: '/operate', headers: bearer(TEST_REVIEWER_TOKEN) })).json().code).toBe('AUTH_FORBIDDEN');
    expect((await a.inject({ url: '/who' })).json().code).toBe('AUTH_REQUIRED');
    const wrong = await a.inject({ url: '/who', headers: bearer('nope-nope-nope') });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().code).toBe('AUTH_INVALID');
  });

  it('checks roles: admin ⊇ operator ⊇ reviewer', async () => {
    const op = await seedAccount(a, { name: 'olivia', role: 'operator' });
    expect((await b.inject({ url: '/operate', headers: bearer(op.token) })).statusCode).toBe(200);
    expect((await b.inject({ url: '/who', headers: bearer(op.token) })).json()).toEqual({ name: 'olivia', role: 'operator', kind: 'account', via: 'token' });
    const refused = await b.inject({ url: '/administer', headers: bearer(op.token) });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().code).toBe('AUTH_FORBIDDEN');
  });

  it('logs in by name and password into a session every service honours; writes need the CSRF token', async () => {
    const alice = await seedAccount(a, { name: 'alice' });
    const login = await loginAs(b, 'alice', alice.password);
    const setCookie = String((await b.inject({ method: 'POST', url: '/auth/session', payload: { name: 'alice', password: alice.password } })).headers['set-cookie']);
    expect(setCookie).toMatch(/^relabel_session=[^;]+; Path=\/; HttpOnly; SameSite=Strict; Max-Age=43200$/);

    expect((await a.inject({ url: '/who', headers: { cookie: login.cookie } })).json()).toMatchObject({ name: 'alice', via: 'session' });
    expect((await a.inject({ url: '/auth/session', headers: { cookie: login.cookie } })).json()).toMatchObject({ name: 'alice', role: 'reviewer', csrfToken: login.csrf });
    const noCsrf = await a.inject({ method: 'POST', url: '/write', headers: { cookie: login.cookie } });
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.json().code).toBe('AUTH_CSRF');
    expect((await a.inject({ method: 'POST', url: '/write', headers: { cookie: login.cookie, 'x-csrf-token': 'x'.repeat(32) } })).json().code).toBe('AUTH_CSRF');
    expect((await a.inject({ method: 'POST', url: '/write', headers: login.headers })).json()).toEqual({ by: 'alice' });
    // a bearer request carries no ambient credential, so it needs no CSRF token
    expect((await a.inject({ method: 'POST', url: '/write', headers: bearer(alice.token) })).json()).toEqual({ by: 'alice' });

    // logging in again from the same browser gives a new session and ends the old one
    const again = await b.inject({ method: 'POST', url: '/auth/session', headers: { cookie: login.cookie }, payload: { name: 'alice', password: alice.password } });
    const fresh = sessionCookie(again.headers['set-cookie']);
    expect(fresh).not.toBe(login.cookie);
    expect((await a.inject({ url: '/who', headers: { cookie: login.cookie } })).statusCode).toBe(401);
    expect((await a.inject({ url: '/who', headers: { cookie: fresh } })).statusCode).toBe(200);
  });

  it('logs in with a token too, and a logout ends the session in every service at once', async () => {
    const res = await a.inject({ method: 'POST', url: '/auth/session', payload: { token: TEST_REVIEWER_TOKEN } });
    expect(res.json()).toMatchObject({ name: 'bootstrap-reviewer', role: 'reviewer', csrfToken: expect.any(String) });
    const cookie = sessionCookie(res.headers['set-cookie']);
    expect((await b.inject({ url: '/who', headers: { cookie } })).statusCode).toBe(200);
    const out = await b.inject({ method: 'DELETE', url: '/auth/session', headers: { cookie } });
    expect(out.statusCode).toBe(204);
    expect(String(out.headers['set-cookie'])).toContain('Max-Age=0');
    const after = await a.inject({ url: '/who', headers: { cookie } });
    expect(after.statusCode).toBe(401);
    expect(after.json().code).toBe('AUTH_INVALID');
  });

  it('answers an unknown name exactly like a wrong password', async () => {
    await seedAccount(a, { name: 'bob' });
    const unknown = await a.inject({ method: 'POST', url: '/auth/session', payload: { name: 'nobody', password: 'whatever-1234' } });
    const wrong = await a.inject({ method: 'POST', url: '/auth/session', payload: { name: 'bob', password: 'whatever-1234' } });
    expect(unknown.statusCode).toBe(401);
    expect(wrong.statusCode).toBe(401);
    expect(unknown.json()).toEqual(wrong.json());
    expect(unknown.headers['set-cookie']).toBeUndefined();
  });

  it('limits failed logins per account (the right password too, until the window ends) and per address', async () => {
    const carol = await seedAccount(a, { name: 'carol' });
    for (let i = 0; i < LOGIN_LIMITS.perName; i++) {
      expect((await a.inject({ method: 'POST', url: '/auth/session', payload: { name: 'carol', password: `guess-${i}-xxxx` }, remoteAddress: `10.0.0.${i}` })).statusCode).toBe(401);
    }
    const limited = await b.inject({ method: 'POST', url: '/auth/session', payload: { name: 'carol', password: carol.password }, remoteAddress: '10.0.1.1' });
    expect(limited.statusCode).toBe(429);
    expect(limited.json().code).toBe('AUTH_RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // an unknown name is limited the same way
    for (let i = 0; i < LOGIN_LIMITS.perName; i++) await a.inject({ method: 'POST', url: '/auth/session', payload: { name: 'ghost', password: 'guess-xxxxxx' }, remoteAddress: `10.0.2.${i}` });
    expect((await a.inject({ method: 'POST', url: '/auth/session', payload: { name: 'ghost', password: 'guess-xxxxxx' }, remoteAddress: '10.0.3.1' })).statusCode).toBe(429);

    for (let i = 0; i < LOGIN_LIMITS.perAddress; i++) {
      await a.inject({ method: 'POST', url: '/auth/session', payload: { token: `wrong-token-${i}` }, remoteAddress: '10.9.9.9' });
    }
    const sprayed = await a.inject({ method: 'POST', url: '/auth/session', payload: { token: TEST_REVIEWER_TOKEN }, remoteAddress: '10.9.9.9' });
    expect(sprayed.statusCode).toBe(429);
    expect((await a.inject({ method: 'POST', url: '/auth/session', payload: { token: TEST_REVIEWER_TOKEN }, remoteAddress: '10.9.9.8' })).statusCode).toBe(200);
  });

  it('refuses a revoked token and the sessions opened with it in every service, at once', async () => {
    const dave = await seedAccount(b, { name: 'dave' });
    // both services have the account cached
    expect((await a.inject({ url: '/who', headers: bearer(dave.token) })).statusCode).toBe(200);
    expect((await b.inject({ url: '/who', headers: bearer(dave.token) })).statusCode).toBe(200);
    const session = sessionCookie((await b.inject({ method: 'POST', url: '/auth/session', payload: { token: dave.token } })).headers['set-cookie']);
    const passwordSession = await loginAs(b, 'dave', dave.password);

    const account = (await a.providers.accountStore.get('dave'))!;
    await a.providers.accountStore.put({ ...account, tokens: account.tokens.map((t) => ({ ...t, revokedAt: new Date().toISOString(), revokedBy: 'test' })) });
    await a.auth.accountsChanged();

    for (const app of [a, b]) {
      const res = await app.inject({ url: '/who', headers: bearer(dave.token) });
      expect(res.statusCode).toBe(401);
      expect(res.json().code).toBe('AUTH_INVALID');
      expect((await app.inject({ url: '/who', headers: { cookie: session } })).statusCode).toBe(401);
    }
    // the password session was not opened with that token
    expect((await a.inject({ url: '/who', headers: { cookie: passwordSession.cookie } })).statusCode).toBe(200);

    await a.providers.accountStore.put({ ...account, passwordHash: '', tokens: [], deletedAt: new Date().toISOString(), deletedBy: 'test' });
    await a.auth.accountsChanged();
    expect((await b.inject({ url: '/who', headers: { cookie: passwordSession.cookie } })).statusCode).toBe(401);
  });

  it('re-reads the accounts when Redis lost the generation stamp (a flush)', async () => {
    const erin = await seedAccount(a, { name: 'erin' });
    expect((await b.inject({ url: '/who', headers: bearer(erin.token) })).statusCode).toBe(200);
    const account = (await a.providers.accountStore.get('erin'))!;
    await a.providers.accountStore.put({ ...account, tokens: [] });
    await a.redis.del(`${config.keyPrefix}:auth:accounts-generation`);
    expect((await b.inject({ url: '/who', headers: bearer(erin.token) })).statusCode).toBe(401);
  });
});
