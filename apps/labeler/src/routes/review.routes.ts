import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { nextReviewTask, releaseReviewTask, skipReviewTask } from '../use-cases/review-task.use-case';
import { ErrorSchema, LoopNameParams, ProgressSchema, ReviewTaskViewSchema, taskView } from './schemas';
import { REVIEWER_NAME_PATTERN } from '../plugins/review-session.plugin';

const tags = ['review'];
/** bearer reviewer token, or the review page's session cookie */
const security = [{ bearer: [] }];

/** What the review page needs beyond SPEC §9: login, the next task (a lease), skip, progress. */
export async function reviewRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const auth = { preHandler: app.requireReviewerSession };

  r.post('/api/review/session', {
    schema: {
      tags,
      summary: 'Log in with the reviewer token; sets the session cookie',
      body: Type.Object({ token: Type.String({ minLength: 1, maxLength: 512 }), reviewer: Type.String({ pattern: REVIEWER_NAME_PATTERN }) }),
      response: { 200: Type.Object({ reviewer: Type.String() }), 401: ErrorSchema },
    },
  }, async (request, reply) => ({ reviewer: app.startReviewSession(reply, request.body) }));

  r.get('/api/review/session', {
    ...auth,
    schema: { tags, security, summary: 'Who is logged in', response: { 200: Type.Object({ reviewer: Type.String() }), 401: ErrorSchema } },
  }, async (request) => ({ reviewer: request.reviewerId }));

  r.delete('/api/review/session', {
    schema: { tags, summary: 'Log out', response: { 204: Type.Null() } },
  }, async (_request, reply) => {
    app.endReviewSession(reply);
    return reply.code(204).send(null);
  });

  r.post('/api/review/next', {
    ...auth,
    schema: {
      tags,
      security,
      summary: 'Lease the next pending task to this reviewer (the one already held, if any)',
      response: { 200: Type.Object({ task: Type.Union([ReviewTaskViewSchema, Type.Null()]), progress: ProgressSchema }), 401: ErrorSchema },
    },
  }, async (request) => {
    const { claim, progress } = await nextReviewTask({ workbench: app.labeler.workbench() }, request.reviewerId);
    return { task: claim ? taskView(claim.task, claim) : null, progress };
  });

  r.post('/api/review/:name/skip', {
    ...auth,
    schema: { tags, security, summary: 'Give the task back and move it to the end of this reviewer queue', params: LoopNameParams, response: { 204: Type.Null(), 404: ErrorSchema } },
  }, async (request, reply) => {
    await skipReviewTask({ workbench: app.labeler.workbench() }, request.params.name, request.reviewerId);
    return reply.code(204).send(null);
  });

  r.post('/api/review/:name/release', {
    ...auth,
    schema: { tags, security, summary: 'Give the task back without skipping it (the page sends this when it closes)', params: LoopNameParams, response: { 204: Type.Null(), 404: ErrorSchema } },
  }, async (request, reply) => {
    await releaseReviewTask({ workbench: app.labeler.workbench() }, request.params.name, request.reviewerId);
    return reply.code(204).send(null);
  });

  r.get('/api/review/progress', {
    ...auth,
    schema: { tags, security, summary: 'Pending count and answers done today', response: { 200: ProgressSchema } },
  }, async (request) => app.labeler.workbench().progress(request.reviewerId));
}
