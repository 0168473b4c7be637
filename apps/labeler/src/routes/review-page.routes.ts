import { readFileSync } from 'fs';
import { join } from 'path';
import type { FastifyInstance } from 'fastify';

const PAGE_DIR = join(__dirname, '..', 'pages', 'review');
const ASSETS: Record<string, string> = {
  'review.css': 'text/css; charset=utf-8',
  'review.js': 'text/javascript; charset=utf-8',
};
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/** The review page: three static files read once at boot, no CDN, no build step. */
export async function reviewPageRoutes(app: FastifyInstance): Promise<void> {
  const html = readFileSync(join(PAGE_DIR, 'review.html'));
  const assets = new Map(Object.entries(ASSETS).map(([file, type]) => [file, { type, body: readFileSync(join(PAGE_DIR, file)) }]));
  const secure = { 'content-security-policy': CSP, 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer', 'cache-control': 'no-cache' };

  app.get('/', { schema: { hide: true } }, async (_request, reply) => reply.redirect('/review'));
  app.get('/review', { schema: { tags: ['review'], summary: 'The review web page' } }, async (_request, reply) =>
    reply.headers(secure).type('text/html; charset=utf-8').send(html),
  );
  app.get<{ Params: { file: string } }>('/review/assets/:file', { schema: { hide: true } }, async (request, reply) => {
    const asset = assets.get(request.params.file);
    if (!asset) return reply.code(404).send({ code: 'NOT_FOUND', message: 'Not found' });
    return reply.headers(secure).type(asset.type).send(asset.body);
  });
}
