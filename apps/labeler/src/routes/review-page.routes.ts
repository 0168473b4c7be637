import { join } from 'path';
import type { FastifyInstance } from 'fastify';
import { staticPageRoutes } from '@relabel/platform';

/** The review page: the static files of `pages/review/`. */
export async function reviewPageRoutes(app: FastifyInstance): Promise<void> {
  app.get('/', { schema: { hide: true } }, async (_request, reply) => reply.redirect('/review'));
  await staticPageRoutes(app, {
    path: '/review',
    dir: join(__dirname, '..', 'pages', 'review'),
    html: 'review.html',
    schema: { tags: ['review'], summary: 'The review web page' },
  });
}
