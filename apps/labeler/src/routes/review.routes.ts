import { Type } from '@sinclair/typebox';
import { nextReviewTask, releaseReviewTask, skipReviewTask } from '../use-cases/review-task.use-case';
import { LoopNameParams, ProgressSchema, ReviewTaskViewSchema, taskView } from './schemas';
import { actingAccount as reviewer, type RelabelApp } from '@relabel/platform';
import { ErrorSchema } from '@relabel/contracts';

const tags = ['review'];
/** an account's or the bootstrap reviewer's bearer token, or a session cookie (login: /auth/session) */
const security = [{ bearer: [] }];

/** What the review page needs beyond the human-loop API: the next task (a lease), skip, progress. Login is the platform's /auth/session. */
export async function reviewRoutes(app: RelabelApp): Promise<void> {
  const auth = { preHandler: app.requireReviewer };

  app.post('/api/review/next', {
    ...auth,
    schema: {
      tags,
      security,
      summary: 'Lease the next pending task to this reviewer (the one already held, if any)',
      response: { 200: Type.Object({ task: Type.Union([ReviewTaskViewSchema, Type.Null()]), progress: ProgressSchema }), 401: ErrorSchema },
    },
  }, async (request) => {
    const { claim, progress } = await nextReviewTask({ workbench: app.labeler.workbench() }, reviewer(request));
    return { task: claim ? taskView(claim.task, claim) : null, progress };
  });

  app.post('/api/review/:name/skip', {
    ...auth,
    schema: { tags, security, summary: 'Give the task back and move it to the end of this reviewer queue', params: LoopNameParams, response: { 204: Type.Null(), 404: ErrorSchema } },
  }, async (request, reply) => {
    await skipReviewTask({ workbench: app.labeler.workbench() }, request.params.name, reviewer(request));
    return reply.code(204).send(null);
  });

  app.post('/api/review/:name/release', {
    ...auth,
    schema: { tags, security, summary: 'Give the task back without skipping it (the page sends this when it closes)', params: LoopNameParams, response: { 204: Type.Null(), 404: ErrorSchema } },
  }, async (request, reply) => {
    await releaseReviewTask({ workbench: app.labeler.workbench() }, request.params.name, reviewer(request));
    return reply.code(204).send(null);
  });

  app.get('/api/review/progress', {
    ...auth,
    schema: { tags, security, summary: 'Pending count and answers done today', response: { 200: ProgressSchema } },
  }, async (request) => app.labeler.workbench().progress(reviewer(request)));
}
