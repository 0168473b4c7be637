import { Type } from '@sinclair/typebox';
import { actingAccount, type RelabelApp } from '@relabel/platform';
import { listParameterHistory } from '../use-cases/list-history.use-case';
import { putParameter } from '../use-cases/put-parameter.use-case';
import { getParameter, listParameters } from '../use-cases/read-parameters.use-case';
import { ParameterChangeSchema, ParameterViewSchema } from './schemas';
import { ErrorSchema } from '@relabel/contracts';

const tags = ['parameters'];
const NameParams = Type.Object({ name: Type.String({ maxLength: 128 }) });
const errors = { 401: ErrorSchema, 503: ErrorSchema };

/** Operator parameters (root README, "Operator parameters"): read, change (validated) and the audit log. Operator or admin account (or the bootstrap admin token). */
export async function parametersRoutes(app: RelabelApp): Promise<void> {
  const preHandler = app.requireOperator;
  const deps = () => ({ store: app.providers.parameterStore, ...app.authority });

  app.get('/parameters', {
    preHandler,
    schema: { tags, summary: 'The nine operator parameters: value in force, stored value, allowed range', response: { 200: Type.Object({ items: Type.Array(ParameterViewSchema) }), ...errors } },
  }, async () => ({ items: await listParameters(deps()) }));

  app.get('/parameters/history', {
    preHandler,
    schema: {
      tags,
      summary: 'Every change (API writes and out-of-band edits), newest first',
      querystring: Type.Object({
        name: Type.Optional(Type.String({ maxLength: 128 })),
        cursor: Type.Optional(Type.String({ pattern: '^[0-9]{1,15}$' })),
        limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
      }),
      response: { 200: Type.Object({ items: Type.Array(ParameterChangeSchema), nextCursor: Type.Optional(Type.String()) }), 404: ErrorSchema, ...errors },
    },
  }, async (request) => listParameterHistory(deps(), request.query));

  app.get('/parameters/:name', {
    preHandler,
    schema: { tags, summary: 'One parameter', params: NameParams, response: { 200: ParameterViewSchema, 404: ErrorSchema, ...errors } },
  }, async (request) => getParameter(deps(), request.params.name));

  app.put('/parameters/:name', {
    preHandler,
    schema: {
      tags,
      summary: 'Change a parameter; in force in every service within 5 s',
      description: 'Booleans: true/false in any case. Numbers: plain decimals ("0.80" yes; "1,000", "1e3", "abc" no). JSON numbers and booleans are accepted too.',
      params: NameParams,
      body: Type.Object({ value: Type.Unknown() }, { additionalProperties: false }),
      response: {
        200: Type.Object({ parameter: ParameterViewSchema, changed: Type.Boolean(), previous: Type.Union([Type.String(), Type.Null()]) }),
        400: ErrorSchema,
        404: ErrorSchema,
        ...errors,
      },
    },
  }, async (request) => putParameter(deps(), { name: request.params.name, value: request.body.value, caller: actingAccount(request) }));
}
