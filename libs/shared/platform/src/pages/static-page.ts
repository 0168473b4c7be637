import { readFileSync, readdirSync } from 'fs';
import { extname, join } from 'path';
import type { FastifyInstance } from 'fastify';

const SHARED_DIR = __dirname;
const TYPES: Record<string, string> = { '.css': 'text/css; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.html': 'text/html; charset=utf-8' };
// No inline script or style anywhere, no CDN: every script and stylesheet is one of the page's own files.
const HEADERS = {
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
};

export interface StaticPageOptions {
  /** where the page is served (`/console`); its files are under `<path>/assets/` */
  path: string;
  /** the folder of the page's own files (`.html`, `.css`, `.js`) */
  dir: string;
  /** the page itself, a file of `dir` */
  html: string;
  schema: { tags: string[]; summary: string };
}

function readAssets(dir: string): Map<string, Buffer> {
  return new Map(readdirSync(dir).filter((f) => TYPES[extname(f)]).map((f) => [f, readFileSync(join(dir, f))]));
}

/**
 * A static browser page, read once at boot and served under the strict CSP: the page at `path`, its
 * CSS and JS at `<path>/assets/<file>`, together with the files both pages share (`page-base.css`,
 * `page-base.js` beside this module). No build step.
 */
export async function staticPageRoutes(app: FastifyInstance, options: StaticPageOptions): Promise<void> {
  const own = readAssets(options.dir);
  const files = readAssets(SHARED_DIR);
  for (const [file, body] of own) {
    if (files.has(file)) throw new Error(`${options.dir}/${file} has the name of a shared page file`);
    files.set(file, body);
  }
  const send = (file: string) => ({ type: TYPES[extname(file)]!, body: files.get(file)! });
  const page = send(options.html);

  app.get(options.path, { schema: options.schema }, async (_request, reply) => reply.headers(HEADERS).type(page.type).send(page.body));
  app.get<{ Params: { file: string } }>(`${options.path}/assets/:file`, { schema: { hide: true } }, async (request, reply) => {
    const { file } = request.params;
    if (!files.has(file) || file.endsWith('.html')) return reply.code(404).send({ code: 'NOT_FOUND', message: 'Not found' });
    const asset = send(file);
    return reply.headers(HEADERS).type(asset.type).send(asset.body);
  });
}
