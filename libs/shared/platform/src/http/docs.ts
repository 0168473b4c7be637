import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';

/** OpenAPI generated from the route schemas; the UI's assets ship in the npm package (no CDN). */
async function installDocs(app: FastifyInstance, { service }: { service: string }): Promise<void> {
  await app.register(swagger, {
    openapi: {
      info: { title: `relabel ${service}`, version: '0.1.0', description: `The ${service} service of relabel.` },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
}

export const docsPlugin = fp(installDocs, { name: 'relabel-docs', fastify: '5.x' });
