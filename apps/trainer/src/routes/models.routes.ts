import { Type } from '@sinclair/typebox';
import { actingAccount, type RelabelApp } from '@relabel/platform';
import { ModelViewSchema } from '../domain/model-view.schema';
import { getModel, listModels } from '../use-cases/query-models.use-case';
import { requestDeploy } from '../use-cases/request-deploy.use-case';
import { ErrorSchema } from '@relabel/contracts';

const VersionParams = Type.Object({ version: Type.String({ pattern: '^[A-Za-z0-9_.-]{1,255}$' }) });
const security = [{ bearer: [] }];

/** Operator API for model versions (apps/trainer/README.md, "API"): list, inspect, and blue/green deploy (rollback). */
export async function modelsRoutes(app: RelabelApp): Promise<void> {
  app.get(
    '/models',
    {
      onRequest: app.requireOperator,
      schema: {
        tags: ['models'],
        summary: 'Model versions with status, dataset size, F1, per-label metrics, whether live, why rejected',
        security,
        response: { 200: Type.Object({ items: Type.Array(ModelViewSchema) }), 401: ErrorSchema },
      },
    },
    async () => ({ items: await listModels(app.trainer) }),
  );
  app.get(
    '/models/:version',
    {
      onRequest: app.requireOperator,
      schema: { tags: ['models'], summary: 'One model version', security, params: VersionParams, response: { 200: ModelViewSchema, 401: ErrorSchema, 404: ErrorSchema } },
    },
    async (req) => getModel(app.trainer, req.params.version),
  );
  app.post(
    '/models/:version/deploy',
    {
      onRequest: app.requireOperator,
      schema: {
        tags: ['models'],
        summary: 'Blue/green deploy of a trained version (rollback); the live version serves until it runs',
        security,
        params: VersionParams,
        response: { 202: Type.Object({ id: Type.String() }), 401: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema },
      },
    },
    async (req, reply) => reply.code(202).send(await requestDeploy(app.trainer, req.params.version, actingAccount(req))),
  );
}
