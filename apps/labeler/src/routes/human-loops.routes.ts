import { Type } from '@sinclair/typebox';
import { ErrorSchema } from '@relabel/contracts';
import { describeHumanLoop, listHumanLoops, readHumanLoopImage } from '../use-cases/read-human-loops.use-case';
import { answerHumanLoop } from '../use-cases/review-task.use-case';
import { actingAccount as reviewer, type RelabelApp } from '@relabel/platform';
import { HumanLoopSchema, HumanLoopStatusSchema } from '@relabel/ports';
import { LoopNameParams, ProgressSchema, ReviewTaskViewSchema, taskView } from './schemas';

const tags = ['human loops'];
/** an account's or the bootstrap reviewer's bearer token, or a session cookie (login: /auth/session) */
const security = [{ bearer: [] }];
const IngestionSchema = Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]);

/** apps/labeler/README.md, "API": list, describe and answer human loops (reviewer token or review session). */
export async function humanLoopsRoutes(app: RelabelApp): Promise<void> {
  const auth = { preHandler: app.requireReviewer };
  // Providers are read per request: each is made on first use.
  const loops = () => ({
    humanReview: app.providers.humanReview,
    workbench: app.providers.reviewWorkbench,
    ingestionLog: app.labeler.ingestionLog,
    store: app.providers.objectStore,
  });

  app.get('/api/human-loops', {
    ...auth,
    schema: {
      tags,
      security,
      summary: 'List human loops by status',
      querystring: Type.Object({
        status: Type.Optional(HumanLoopStatusSchema),
        cursor: Type.Optional(Type.String({ maxLength: 63 })),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
      }),
      response: { 200: Type.Object({ items: Type.Array(HumanLoopSchema), nextCursor: Type.Optional(Type.String()) }), 401: ErrorSchema },
    },
  }, async (request) => listHumanLoops(loops(), request.query));

  app.get('/api/human-loops/:name', {
    ...auth,
    schema: {
      tags,
      security,
      summary: 'One human loop, its answers and what ingestion made of it',
      params: LoopNameParams,
      response: { 200: Type.Object({ loop: HumanLoopSchema, task: Type.Union([ReviewTaskViewSchema, Type.Null()]), ingestion: IngestionSchema }), 404: ErrorSchema },
    },
  }, async (request) => {
    const { loop, task, ingestion } = await describeHumanLoop(loops(), request.params.name);
    return { loop, task: task ? taskView(task) : null, ingestion: ingestion ? { ...ingestion } : null };
  });

  app.post('/api/human-loops/:name/answers', {
    ...auth,
    schema: {
      tags,
      security,
      summary: "A reviewer's answer: a category label or \"None of the Above\"",
      params: LoopNameParams,
      body: Type.Object({ label: Type.String({ maxLength: 256 }) }),
      response: {
        200: Type.Object({ task: ReviewTaskViewSchema, outcome: Type.String(), progress: ProgressSchema }),
        400: ErrorSchema,
        404: ErrorSchema,
        409: ErrorSchema,
      },
    },
  }, async (request) => {
    const result = await answerHumanLoop(
      { workbench: app.labeler.workbench(), categories: () => app.labeler.categories.get() },
      { name: request.params.name, reviewerId: reviewer(request), label: request.body.label },
    );
    return { task: taskView(result.task), outcome: result.outcome, progress: result.progress };
  });

  app.get('/api/human-loops/:name/image', {
    ...auth,
    schema: { tags, security, summary: 'The image under review (bytes)', params: LoopNameParams },
  }, async (request, reply) => {
    const image = await readHumanLoopImage(loops(), request.params.name);
    return reply
      .header('content-type', image.contentType)
      .header('cache-control', 'private, max-age=300')
      .header('x-content-type-options', 'nosniff')
      .send(image.body);
  });
}
