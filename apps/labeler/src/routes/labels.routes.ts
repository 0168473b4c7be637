import type { RelabelApp } from '@relabel/platform';
import { Type } from '@sinclair/typebox';
import { RelabelError, ErrorSchema } from '@relabel/contracts';
import { declareLabel, retireLabel } from '../use-cases/manage-labels.use-case';

const tags = ['labels'];
const security = [{ bearer: [] }];
const LabelParams = Type.Object({ name: Type.String({ maxLength: 256 }) });

/** apps/labeler/README.md, "API": the review categories; the operator declares or retires extra ones. */
export async function labelsRoutes(app: RelabelApp): Promise<void> {
  const operationalState = () => app.providers.operationalState;

  app.get('/api/labels', {
    preHandler: app.requireReviewer,
    schema: {
      tags,
      security,
      summary: 'The categories reviewers choose from: training-set folders, declared labels, then "None of the Above"',
      response: {
        200: Type.Object({
          labels: Type.Array(
            Type.Object({ name: Type.String(), images: Type.Integer(), inTrainingSet: Type.Boolean(), declared: Type.Boolean(), waiting: Type.Boolean() }),
          ),
          noneOfTheAbove: Type.String(),
        }),
        401: ErrorSchema,
      },
    },
  }, async () => app.labeler.categories.get());

  app.put('/api/labels/:name', {
    preHandler: app.requireOperator,
    schema: {
      tags,
      security,
      summary: 'Declare an extra category (operator)',
      params: LabelParams,
      response: { 200: Type.Object({ name: Type.String(), created: Type.Boolean() }), 201: Type.Object({ name: Type.String(), created: Type.Boolean() }), 400: ErrorSchema, 401: ErrorSchema },
    },
  }, async (request, reply) => {
    const result = await declareLabel({ operationalState: operationalState() }, request.params.name);
    app.labeler.categories.invalidate();
    return reply.code(result.created ? 201 : 200).send(result);
  });

  app.delete('/api/labels/:name', {
    preHandler: app.requireOperator,
    schema: {
      tags,
      security,
      summary: 'Retire a declared category (operator); training-set folders stay categories while they hold images',
      params: LabelParams,
      response: { 200: Type.Object({ name: Type.String(), removed: Type.Boolean() }), 400: ErrorSchema, 401: ErrorSchema, 404: ErrorSchema },
    },
  }, async (request) => {
    const result = await retireLabel({ operationalState: operationalState() }, request.params.name);
    app.labeler.categories.invalidate();
    if (!result.removed) throw new RelabelError('NOT_FOUND', `${result.name} is not a declared label`);
    return result;
  });
}
