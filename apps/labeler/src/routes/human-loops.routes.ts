import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { RelabelError, ErrorSchema } from '@relabel/contracts';
import { answerHumanLoop } from '../use-cases/review-task.use-case';
import { actingAccount as reviewer } from '@relabel/platform';
import { HumanLoopSchema, HumanLoopStatusSchema } from '@relabel/ports';
import { LoopNameParams, ProgressSchema, ReviewTaskViewSchema, taskView } from './schemas';

const tags = ['human loops'];
/** an account's or the bootstrap reviewer's bearer token, or a session cookie (login: /auth/session) */
const security = [{ bearer: [] }];
const IngestionSchema = Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]);

/** apps/labeler/README.md, "API": list, describe and answer human loops (reviewer token or review session). */
export async function humanLoopsRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const auth = { preHandler: app.requireReviewer };

  r.get('/api/human-loops', {
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
  }, async (request) => app.providers.humanReview.listHumanLoops(request.query));

  r.get('/api/human-loops/:name', {
    ...auth,
    schema: {
      tags,
      security,
      summary: 'One human loop, its answers and what ingestion made of it',
      params: LoopNameParams,
      response: { 200: Type.Object({ loop: HumanLoopSchema, task: Type.Union([ReviewTaskViewSchema, Type.Null()]), ingestion: IngestionSchema }), 404: ErrorSchema },
    },
  }, async (request) => {
    const { name } = request.params;
    const loop = await app.providers.humanReview.describeHumanLoop(name);
    if (!loop) throw new RelabelError('REVIEW_LOOP_NOT_FOUND', `no human loop named ${name}`);
    const task = app.providers.reviewWorkbench ? await app.providers.reviewWorkbench.getTask(name) : null;
    const ingestion = await app.labeler.ingestionLog.forLoop(name);
    return { loop, task: task ? taskView(task) : null, ingestion: ingestion ? { ...ingestion } : null };
  });

  r.post('/api/human-loops/:name/answers', {
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

  r.get('/api/human-loops/:name/image', {
    ...auth,
    schema: { tags, security, summary: 'The image under review (bytes)', params: LoopNameParams },
  }, async (request, reply) => {
    const loop = await app.providers.humanReview.describeHumanLoop(request.params.name);
    if (!loop) throw new RelabelError('REVIEW_LOOP_NOT_FOUND', `no human loop named ${request.params.name}`);
    const image = await app.providers.objectStore.get(loop.imageKey);
    return reply
      .header('content-type', /\.png$/i.test(loop.imageKey) ? 'image/png' : 'image/jpeg')
      .header('cache-control', 'private, max-age=300')
      .header('x-content-type-options', 'nosniff')
      .send(image.body);
  });
}
