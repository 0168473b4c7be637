import { join } from 'path';
import type { FastifyInstance } from 'fastify';
import { staticPageRoutes } from '@relabel/platform';

/** The operator console: the static files of `pages/console/`; charts are SVG elements built by its own script. */
export async function consolePageRoutes(app: FastifyInstance): Promise<void> {
  await staticPageRoutes(app, {
    path: '/console',
    dir: join(__dirname, '..', 'pages', 'console'),
    html: 'console.html',
    schema: { tags: ['console'], summary: 'The operator web console (log in with the admin token)' },
  });
}
