import { Type } from '@sinclair/typebox';
import { actingAccount, type RelabelApp } from '@relabel/platform';
import { AccountRoleSchema } from '@relabel/ports';
import { accountDeps } from './accounts.routes';
import { createAccount, deleteAccount, issueToken, listAccounts, revokeToken, type SerialWrites } from '../use-cases/manage-accounts.use-case';

const NameParams = Type.Object({ name: Type.String({ maxLength: 64 }) });

/**
 * The console's Accounts page (admin only): the same use cases as `/accounts`, called in-process with
 * the acting admin recorded in each account's trail. A new token is answered once, like the API.
 */
export async function consoleAccountsRoutes(app: RelabelApp, opts: { writes: SerialWrites }): Promise<void> {
  const deps = () => accountDeps(app, opts.writes);
  const route = <S extends object>(schema: S) => ({ preHandler: app.requireAdmin, schema: { tags: ['console'], hide: true, ...schema } });

  app.get('/console/api/accounts', route({}), async () => ({ items: await listAccounts(deps()) }));
  app.post('/console/api/accounts', route({
    body: Type.Object({ name: Type.String({ maxLength: 64 }), role: AccountRoleSchema, password: Type.String({ maxLength: 1024 }) }, { additionalProperties: false }),
  }), async (request, reply) => reply.code(201).send(await createAccount(deps(), { ...request.body, by: actingAccount(request) })));
  app.delete('/console/api/accounts/:name', route({ params: NameParams }), async (request) => deleteAccount(deps(), { name: request.params.name, by: actingAccount(request) }));
  app.post('/console/api/accounts/:name/tokens', route({ params: NameParams, body: Type.Object({ label: Type.Optional(Type.String({ maxLength: 64 })) }, { additionalProperties: false }) }), async (request, reply) =>
    reply.code(201).send(await issueToken(deps(), { name: request.params.name, label: request.body.label, by: actingAccount(request) })),
  );
  app.delete('/console/api/accounts/:name/tokens/:id', route({ params: Type.Object({ name: Type.String({ maxLength: 64 }), id: Type.String({ pattern: '^[a-f0-9]{12}$' }) }) }), async (request) =>
    revokeToken(deps(), { name: request.params.name, id: request.params.id, by: actingAccount(request) }),
  );
}
