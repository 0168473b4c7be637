import type { RelabelApp } from '@relabel/platform';
import { Type } from '@sinclair/typebox';
import { ErrorSchema } from '@relabel/contracts';

const IngestionRecordSchema = Type.Object({
  outputKey: Type.String(),
  loopName: Type.Union([Type.String(), Type.Null()]),
  outcome: Type.String(),
  label: Type.Optional(Type.String()),
  answers: Type.Optional(Type.Integer()),
  copiedTo: Type.Optional(Type.String()),
  reason: Type.Optional(Type.String()),
  at: Type.String(),
});

/** Operator view of human-loop outputs that could not be ingested, newest first, with the reason. */
export async function ingestionRoutes(app: RelabelApp): Promise<void> {
  app.get('/api/ingestion/rejections', {
    preHandler: app.requireOperator,
    schema: {
      tags: ['human loops'],
      summary: 'Recent human-loop outputs that were recorded and not ingested, with the reason (operator)',
      security: [{ bearer: [] }],
      querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }) }),
      response: { 200: Type.Object({ items: Type.Array(IngestionRecordSchema) }), 401: ErrorSchema },
    },
  }, async (request) => ({ items: await app.labeler.ingestionLog.recentRejections(request.query.limit) }));
}
