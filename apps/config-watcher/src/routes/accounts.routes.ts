import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { actingAccount, type RelabelApp } from '@relabel/platform';
import { AccountRoleSchema } from '@relabel/ports';
import { AccountViewSchema } from '../domain/account-view';
import { type AccountDeps, createAccount, deleteAccount, getAccount, issueToken, listAccounts, revokeToken, SerialWrites, setPassword } from '../use-cases/manage-accounts.use-case';
import { ErrorSchema } from '@relabel/contracts';

const tags = ['accounts'];
const security = [{ bearer: [] }];
const NameParams = Type.Object({ name: Type.String({ maxLength: 64 }) });
const IssuedTokenSchema = Type.Object({ id: Type.String(), token: Type.String({ description: 'shown once; only its digest is kept' }) });
const errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema };

/** What the accounts use cases need, with the one write queue this API and the console's Accounts page share. */
export function accountDeps(app: FastifyInstance, writes: SerialWrites): AccountDeps {
  return { store: app.providers.accountStore, changed: () => app.auth.accountsChanged(), writes, clock: () => new Date() };
}

/** Reviewer, operator and admin accounts (admin only). config-watcher is the accounts' one writer. */
export async function accountsRoutes(app: RelabelApp, opts: { writes: SerialWrites }): Promise<void> {
  const preHandler = app.requireAdmin;
  const deps = () => accountDeps(app, opts.writes);

  app.post('/accounts', {
    preHandler,
    schema: {
      tags,
      security,
      summary: 'Create an account with a password, an API token (shown once), or both',
      body: Type.Object(
        {
          name: Type.String({ maxLength: 64 }),
          role: AccountRoleSchema,
          password: Type.Optional(Type.String({ maxLength: 1024 })),
          issueToken: Type.Optional(Type.Boolean()),
        },
        { additionalProperties: false },
      ),
      response: { 201: Type.Object({ account: AccountViewSchema, token: Type.Optional(IssuedTokenSchema) }), 409: ErrorSchema, ...errors },
    },
  }, async (request, reply) => reply.code(201).send(await createAccount(deps(), { ...request.body, by: actingAccount(request) })));

  app.get('/accounts', {
    preHandler,
    schema: { tags, security, summary: 'Every account, deleted ones included (with their trail)', response: { 200: Type.Object({ items: Type.Array(AccountViewSchema) }), ...errors } },
  }, async () => ({ items: await listAccounts(deps()) }));

  app.get('/accounts/:name', {
    preHandler,
    schema: { tags, security, summary: 'One account, its tokens (ids only) and its trail', params: NameParams, response: { 200: AccountViewSchema, ...errors } },
  }, async (request) => getAccount(deps(), request.params.name));

  app.delete('/accounts/:name', {
    preHandler,
    schema: { tags, security, summary: 'Delete an account: its password, tokens and sessions stop working at once', params: NameParams, response: { 200: AccountViewSchema, ...errors } },
  }, async (request) => deleteAccount(deps(), { name: request.params.name, by: actingAccount(request) }));

  app.put('/accounts/:name/password', {
    preHandler,
    schema: {
      tags,
      security,
      summary: "Set an account's password (sessions opened with the old one end)",
      params: NameParams,
      body: Type.Object({ password: Type.String({ maxLength: 1024 }) }, { additionalProperties: false }),
      response: { 200: AccountViewSchema, ...errors },
    },
  }, async (request) => setPassword(deps(), { name: request.params.name, password: request.body.password, by: actingAccount(request) }));

  app.post('/accounts/:name/tokens', {
    preHandler,
    // `curl -X POST` sends no body at all; that means `{}`.
    preValidation: async (request) => {
      request.body ??= {};
    },
    schema: {
      tags,
      security,
      summary: 'Issue an API token for the account (shown once)',
      params: NameParams,
      body: Type.Object({ label: Type.Optional(Type.String({ maxLength: 64 })) }, { additionalProperties: false }),
      response: { 201: IssuedTokenSchema, ...errors },
    },
  }, async (request, reply) => reply.code(201).send(await issueToken(deps(), { name: request.params.name, label: request.body.label, by: actingAccount(request) })));

  app.delete('/accounts/:name/tokens/:id', {
    preHandler,
    schema: {
      tags,
      security,
      summary: 'Revoke a token: every service refuses it (401) from this answer on',
      params: Type.Object({ name: Type.String({ maxLength: 64 }), id: Type.String({ pattern: '^[a-f0-9]{12}$' }) }),
      response: { 200: AccountViewSchema, ...errors },
    },
  }, async (request) => revokeToken(deps(), { name: request.params.name, id: request.params.id, by: actingAccount(request) }));
}
