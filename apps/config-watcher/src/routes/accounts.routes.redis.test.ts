import type { FastifyInstance } from 'fastify';
import { createServiceApp } from '@relabel/platform';
import { loginAs, testConfig, TEST_ADMIN_TOKEN, TEST_REVIEWER_TOKEN } from '@relabel/platform/testing';
import { buildApp } from '../app';

jest.setTimeout(30_000);

describe('config-watcher accounts API (local account files, real Redis)', () => {
  let config: ReturnType<typeof testConfig>;
  let app: FastifyInstance;
  /** another service over the same data dir and Redis, as `npm start` runs it */
  let other: FastifyInstance;

  beforeEach(async () => {
    config = testConfig();
    app = await buildApp({ config, logger: false });
    other = await createServiceApp('labeler', { config, logger: false });
    other.get('/who', { preHandler: other.requireReviewer }, async (request) => ({ name: request.principal!.name }));
    await Promise.all([app.ready(), other.ready()]);
  });
  afterEach(async () => {
    await other.close();
    await app.close();
    await config.cleanup();
  });

  const admin = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };
  const create = (payload: object, headers: Record<string, string> = admin) => app.inject({ method: 'POST', url: '/accounts', payload, headers });

  it('creates accounts (shown without any hash), refuses duplicates, reserved names and short passwords', async () => {
    const res = await create({ name: 'Alice', role: 'reviewer', password: 'alice-password-1' });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({
      account: expect.objectContaining({ name: 'alice', role: 'reviewer', createdBy: 'bootstrap-admin', hasPassword: true, tokens: [], events: [expect.objectContaining({ by: 'bootstrap-admin', action: 'created as reviewer' })] }),
    });
    expect(res.body).not.toContain('scrypt');
    expect((await create({ name: 'alice', role: 'admin', password: 'another-password' })).json().code).toBe('ACCOUNT_EXISTS');
    expect((await create({ name: 'bootstrap-admin', role: 'admin', password: 'another-password' })).json().code).toBe('ACCOUNT_INVALID');
    expect((await create({ name: 'bob', role: 'reviewer', password: 'short' })).json().code).toBe('ACCOUNT_INVALID');
    expect((await create({ name: 'bob', role: 'reviewer' })).json().code).toBe('ACCOUNT_INVALID');
    expect((await create({ name: '../x', role: 'reviewer', password: 'long-enough-1' })).statusCode).toBe(400);
    const list = await app.inject({ url: '/accounts', headers: admin });
    expect(list.json().items.map((a: { name: string }) => a.name)).toEqual(['alice']);
  });

  it('is for admins only: reviewers and operators are refused', async () => {
    const token = (await create({ name: 'olivia', role: 'operator', issueToken: true })).json().token.token as string;
    for (const headers of [{ authorization: `Bearer ${token}` }, { authorization: `Bearer ${TEST_REVIEWER_TOKEN}` }]) {
      const res = await app.inject({ url: '/accounts', headers });
      expect(res.statusCode).toBe(403);
      expect(res.json().code).toBe('AUTH_FORBIDDEN');
    }
    expect((await app.inject({ url: '/accounts' })).statusCode).toBe(401);
  });

  it('shows a token once, and a revoked token is refused by every service at once', async () => {
    const created = (await create({ name: 'bot', role: 'reviewer', issueToken: true })).json();
    const first = created.token as { id: string; token: string };
    expect(first.token).toMatch(/^rlt_/);
    const issued = await app.inject({ method: 'POST', url: '/accounts/bot/tokens', headers: admin, payload: { label: 'ci' } });
    expect(issued.statusCode).toBe(201);
    const second = issued.json() as { id: string; token: string };
    const shown = (await app.inject({ url: '/accounts/bot', headers: admin })).body;
    expect(shown).not.toContain(first.token);
    expect(shown).not.toContain(second.token);

    const who = (token: string) => other.inject({ url: '/who', headers: { authorization: `Bearer ${token}` } });
    expect((await who(first.token)).json()).toEqual({ name: 'bot' });
    const revoked = await app.inject({ method: 'DELETE', url: `/accounts/bot/tokens/${first.id}`, headers: admin });
    expect(revoked.json().tokens).toEqual([
      expect.objectContaining({ id: first.id, revokedBy: 'bootstrap-admin', revokedAt: expect.any(String) }),
      expect.objectContaining({ id: second.id, label: 'ci' }),
    ]);
    const refused = await who(first.token);
    expect(refused.statusCode).toBe(401);
    expect(refused.json().code).toBe('AUTH_INVALID');
    expect((await who(second.token)).statusCode).toBe(200);
    expect((await app.inject({ method: 'DELETE', url: '/accounts/bot/tokens/000000000000', headers: admin })).json().code).toBe('ACCOUNT_NOT_FOUND');
  });

  it('records who made each account change, and a deleted account stops working everywhere', async () => {
    await create({ name: 'ada', role: 'admin', password: 'ada-password-1' });
    const ada = await loginAs(app, 'ada', 'ada-password-1');
    const made = await app.inject({ method: 'POST', url: '/accounts', headers: ada.headers, payload: { name: 'carl', role: 'reviewer', password: 'carl-password-1' } });
    expect(made.json().account).toMatchObject({ createdBy: 'ada' });
    const carl = await loginAs(other, 'carl', 'carl-password-1');
    expect((await other.inject({ url: '/who', headers: { cookie: carl.cookie } })).json()).toEqual({ name: 'carl' });

    const reset = await app.inject({ method: 'PUT', url: '/accounts/carl/password', headers: ada.headers, payload: { password: 'carl-password-new' } });
    expect(reset.statusCode).toBe(200);
    expect((await other.inject({ url: '/who', headers: { cookie: carl.cookie } })).statusCode).toBe(401);
    const carlAgain = await loginAs(other, 'carl', 'carl-password-new');

    const deleted = await app.inject({ method: 'DELETE', url: '/accounts/carl', headers: ada.headers });
    expect(deleted.json()).toMatchObject({
      name: 'carl',
      deletedBy: 'ada',
      hasPassword: false,
      events: [{ by: 'ada', action: 'created as reviewer' }, { by: 'ada', action: 'password set' }, { by: 'ada', action: 'deleted' }],
    });
    expect((await other.inject({ url: '/who', headers: { cookie: carlAgain.cookie } })).statusCode).toBe(401);
    expect((await other.inject({ url: '/who', headers: { cookie: carl.cookie } })).statusCode).toBe(401);
    expect((await other.inject({ method: 'POST', url: '/auth/session', payload: { name: 'carl', password: 'carl-password-1' } })).statusCode).toBe(401);
    expect((await app.inject({ method: 'DELETE', url: '/accounts/carl', headers: admin })).json().code).toBe('ACCOUNT_NOT_FOUND');
    // the name can be taken again; the trail stays
    const again = await create({ name: 'carl', role: 'operator', password: 'carl-password-2' });
    expect(again.json().account.events.map((e: { action: string }) => e.action)).toEqual(['created as reviewer', 'password set', 'deleted', 'created as operator']);
  });

  it('names the operator account of a parameter change in GET /parameters/history', async () => {
    await create({ name: 'olivia', role: 'operator', password: 'olivia-password-1' });
    const olivia = await loginAs(app, 'olivia', 'olivia-password-1');
    const put = await app.inject({ method: 'PUT', url: '/parameters/Minimum-F1-Score', headers: olivia.headers, payload: { value: '0.7' } });
    expect(put.statusCode).toBe(200);
    const history = (await app.inject({ url: '/parameters/history?name=Minimum-F1-Score', headers: admin })).json();
    expect(history.items[0]).toMatchObject({ oldValue: '0.8', newValue: '0.7', source: 'api:olivia', account: 'olivia' });
    const reviewer = await app.inject({ method: 'PUT', url: '/parameters/Minimum-F1-Score', headers: { authorization: `Bearer ${TEST_REVIEWER_TOKEN}` }, payload: { value: '0.6' } });
    expect(reviewer.statusCode).toBe(403);
  });
});
