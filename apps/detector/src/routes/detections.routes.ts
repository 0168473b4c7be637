import type { RelabelApp } from '@relabel/platform';
import { Type } from '@sinclair/typebox';
import { DetectionViewSchema } from '../domain/detection-record';
import { ErrorSchema } from '@relabel/contracts';

const HumanLoopSchema = Type.Object({
  name: Type.String(),
  status: Type.Optional(Type.String()),
  answer: Type.Optional(Type.Object({ label: Type.String(), answerCount: Type.Integer(), answeredAt: Type.String() })),
});

const DetectionWithReviewSchema = Type.Composite([
  Type.Omit(DetectionViewSchema, ['humanLoop']),
  Type.Object({ humanLoop: Type.Union([HumanLoopSchema, Type.Null()]) }),
]);

const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 1400 }) });

/**
 * GET /detections/:id — a stored detection, with the human loop's answer once reviewers gave one.
 * POST /detections/:id/review (operator) — send it to review whatever its confidence.
 */
export async function detectionsRoutes(app: RelabelApp): Promise<void> {
  app.get(
    '/detections/:id',
    {
      schema: {
        tags: ['detection'],
        summary: 'A detection, with the human answer once there is one',
        params: IdParams,
        response: { 200: DetectionWithReviewSchema, '4xx': ErrorSchema },
      },
    },
    async (request) => app.detection.get(request.params.id),
  );
  app.post(
    '/detections/:id/review',
    {
      preHandler: app.requireOperator,
      schema: {
        tags: ['detection'],
        summary: 'Send a detection to human review (operator); reuses the loop of the same image content',
        security: [{ bearer: [] }],
        params: IdParams,
        response: { 200: DetectionViewSchema, '4xx': ErrorSchema },
      },
    },
    async (request) => app.detection.requestReview(request.params.id),
  );
}
