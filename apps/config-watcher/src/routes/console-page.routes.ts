import { readFileSync, readdirSync } from 'fs';
import { extname, join } from 'path';
import type { FastifyInstance } from 'fastify';

const PAGE_DIR = join(__dirname, '..', 'pages', 'console');
const TYPES: Record<string, string> = { '.css': 'text/css; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.html': 'text/html; charset=utf-8' };
// no inline script or style anywhere: charts are SVG elements built by the page's own script
const HEADERS = {
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
};

/** The operator console: static files of `page/` read once at boot; no CDN, no build step. */
export async function consolePageRoutes(app: FastifyInstance): Promise<void> {
  const files = new Map(readdirSync(PAGE_DIR).filter((f) => TYPES[extname(f)]).map((f) => [f, readFileSync(join(PAGE_DIR, f))]));
  const send = (file: string) => ({ type: TYPES[extname(file)]!, body: files.get(file)! });

  app.get('/console', { schema: { tags: ['console'], summary: 'The operator web console (log in with the admin token)' } }, async (_request, reply) => {
    const page = send('console.html');
    return reply.headers(HEADERS).type(page.type).send(page.body);
  });
  app.get<{ Params: { file: string } }>('/console/assets/:file', { schema: { hide: true } }, async (request, reply) => {
    const { file } = request.params;
    if (!files.has(file) || file.endsWith('.html')) return reply.code(404).send({ code: 'NOT_FOUND', message: 'Not found' });
    const asset = send(file);
    return reply.headers(HEADERS).type(asset.type).send(asset.body);
  });
}
