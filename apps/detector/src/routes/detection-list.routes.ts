import type { RelabelApp } from '@relabel/platform';
import { Type } from '@sinclair/typebox';
import { DetectionViewSchema } from '../domain/detection-record';
import { listDetections } from '../use-cases/list-detections.use-case';
import { ErrorSchema } from '@relabel/contracts';


/** GET /detections (operator): the latest detections, for the console's detections page and rates. */
export async function detectionListRoutes(app: RelabelApp): Promise<void> {
  app.get(
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
