import type { FastifyInstance } from 'fastify';
import { createServiceApp, type ServiceAppOptions } from '@relabel/platform';
import { consoleApiRoutes } from './routes/console-api.routes';
import { consolePageRoutes } from './routes/console-page.routes';
import { consoleAccountsRoutes } from './routes/console-accounts.routes';
import { consoleSessionRoutes } from './routes/console-session.routes';
import { parameterAuthorityPlugin } from './plugins/parameter-authority.plugin';
import { accountsRoutes } from './routes/accounts.routes';
import { parametersRoutes } from './routes/parameters.routes';
import { statusRoutes } from './routes/status.routes';
import { SerialWrites } from './use-cases/manage-accounts.use-case';

export type ConfigWatcherAppOptions = ServiceAppOptions;

/** Composes config-watcher: platform first, then the parameter authority, then the operator and admin routes and the console. */
export async function buildApp(opts: ConfigWatcherAppOptions): Promise<FastifyInstance> {
  const app = await createServiceApp('config-watcher', opts);
  await app.register(parameterAuthorityPlugin);
  await app.register(parametersRoutes);
  await app.register(statusRoutes);
  // one queue of account writes for the API and the console's Accounts page
  const accountWrites = new SerialWrites();
  await app.register(accountsRoutes, { writes: accountWrites });
  await app.register(consoleSessionRoutes);
  await app.register(consolePageRoutes);
  await app.register(consoleApiRoutes);
  await app.register(consoleAccountsRoutes, { writes: accountWrites });
  return app;
}
