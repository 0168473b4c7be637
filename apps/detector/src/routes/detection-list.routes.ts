import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { DetectionViewSchema } from '../detection/detection-record';
import { listDetections } from '../use-cases/list-detections.use-case';
import { ErrorSchema } from '@relabel/contracts';


/** GET /detections (operator): the latest detections, for the console's detections page and rates. */
export async function detectionListRoutes(app: FastifyInstance): Promise<void> {
  app.withTypeProvider<TypeBoxTypeProvider>().get(
    '/detections',
    {
      onRequest: app.requireOperator,
      schema: {
        tags: ['detection'],
        summary: 'The latest detections, newest first (operator)',
        security: [{ bearer: [] }],
        querystring: Type.Object({
          limit: Type.Integer({ minimum: 1, maximum: 1000, default: 50 }),
          since: Type.Optional(Type.String({ format: 'date-time', description: 'only results written at or after this time' })),
        }),
        response: { 200: Type.Object({ items: Type.Array(DetectionViewSchema), total: Type.Integer() }), 400: ErrorSchema, 401: ErrorSchema },
      },
    },
    async (request) =>
      listDetections({ store: app.providers.objectStore }, { limit: request.query.limit, since: request.query.since ? new Date(request.query.since) : undefined }),
  );
}
