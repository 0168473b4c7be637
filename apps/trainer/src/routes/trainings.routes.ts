import { Type } from '@sinclair/typebox';
import { actingAccount, type RelabelApp } from '@relabel/platform';
import { TrainingRunSchema } from '../domain/training-run.schema';
import { getRun, listRuns } from '../use-cases/query-runs.use-case';
import { requestTraining } from '../use-cases/request-training.use-case';
import { ErrorSchema } from '@relabel/contracts';

const security = [{ bearer: [] }];

/** Operator API for training runs (apps/trainer/README.md, "API"): trigger a check, list runs, read one run's steps. */
export async function trainingsRoutes(app: RelabelApp): Promise<void> {
  app.post(
    '/trainings',
    {
      onRequest: app.requireOperator,
      // `curl -X POST` sends no body at all; that means `{}`.
      preValidation: async (req) => {
        req.body ??= {};
      },
      schema: {
        tags: ['trainings'],
        summary: 'Run the training check now; force skips the untrained-images minimum',
        security,
        body: Type.Object({ force: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
        response: { 202: Type.Object({ id: Type.String() }), 400: ErrorSchema, 401: ErrorSchema },
      },
    },
    async (req, reply) => reply.code(202).send(await requestTraining(app.trainer, { force: req.body.force ?? false, requestedBy: actingAccount(req) })),
  );
  app.get(
    '/trainings',
    {
      onRequest: app.requireOperator,
      schema: {
        tags: ['trainings'],
        summary: 'Training checks and deployments, newest first, each with its decision and reason',
        security,
        querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }) }),
        response: { 200: Type.Object({ items: Type.Array(TrainingRunSchema) }), 401: ErrorSchema },
      },
    },
    async (req) => ({ items: await listRuns(app.trainer, req.query.limit) }),
  );
  app.get(
    '/trainings/:id',
    {
      onRequest: app.requireOperator,
      schema: {
        tags: ['trainings'],
        summary: 'One run with its steps and timings',
        security,
        params: Type.Object({ id: Type.String({ maxLength: 128 }) }),
        response: { 200: TrainingRunSchema, 401: ErrorSchema, 404: ErrorSchema },
      },
    },
    async (req) => getRun(app.trainer, req.params.id),
  );
}
