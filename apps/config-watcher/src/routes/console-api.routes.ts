import { Type } from '@sinclair/typebox';
import { actingAccount, type RelabelApp } from '@relabel/platform';
import { hasImageExtension, PREFIX, QUEUES, RelabelError, TRAINING_POLL_SCHEDULER_ID } from '@relabel/contracts';
import { bullmqQueueInspector } from '../infra/bullmq-queue-inspector';
import { getStatus } from '../use-cases/get-status.use-case';
import { listParameterHistory } from '../use-cases/list-history.use-case';
import { putParameter } from '../use-cases/put-parameter.use-case';
import { listParameters } from '../use-cases/read-parameters.use-case';
import { consoleOverview, ModelSummary, RunSummary, withProgress } from '../use-cases/console-overview.use-case';
import { reviewSummary } from '../use-cases/review-summary.use-case';
import { httpServiceClient } from '../infra/service-client';
import { forwardedCredentials } from './console-session.routes';

const VersionParams = Type.Object({ version: Type.String({ pattern: '^[A-Za-z0-9_.-]{1,255}$' }) });

/**
 * What the console page reads and writes (an operator's or admin's session; writes need the CSRF
 * header). Parameters and status are config-watcher's own use cases, called in-process with the
 * acting account as the caller. Models, trainings, detections and reviews are read from the owning
 * service's operator API with the admin token, so the browser talks to one origin and never holds
 * the token; a training or a deploy/rollback is sent with the user's own session (cookie + CSRF)
 * instead, so the trainer records that account as `requestedBy`. Images come straight from the
 * object store (bytes with no owner logic).
 */
export async function consoleApiRoutes(app: RelabelApp): Promise<void> {
  const { serviceUrls, tokens } = app.config;
  const trainer = httpServiceClient('trainer', serviceUrls.trainer, tokens.admin);
  const detector = httpServiceClient('detector', serviceUrls.detector, tokens.admin);
  const labeler = httpServiceClient('labeler', serviceUrls.labeler, tokens.admin);
  const reviews = reviewSummary(labeler);
  const queues = bullmqQueueInspector(app);
  const params = () => ({ store: app.providers.parameterStore, ...app.authority });
  const opts = { preHandler: app.requireOperator, schema: { tags: ['console'], hide: true } };
  const withParams = <S extends object>(schema: S) => ({ preHandler: app.requireOperator, schema: { tags: ['console'], hide: true, ...schema } });

  const status = () => getStatus({ objectStore: app.providers.objectStore, operationalState: app.providers.operationalState, humanReview: app.providers.humanReview, queues, ...app.authority });
  const schedule = async () => {
    const job = await app.queues.get(QUEUES.training).queue.getJobScheduler(TRAINING_POLL_SCHEDULER_ID);
    return job?.every ? { everyMs: job.every, nextPollAt: job.next ? new Date(job.next).toISOString() : null } : null;
  };

  app.get('/console/api/overview', opts, async () => consoleOverview({ status, schedule, parameters: () => app.authority.cache.current(), trainer, detector }, new Date()));

  app.get('/console/api/models', opts, async () => trainer.get('/models'));
  app.get('/console/api/models/:version', withParams({ params: VersionParams }), async (request) => trainer.get(`/models/${request.params.version}`));
  app.post('/console/api/models/:version/deploy', withParams({ params: VersionParams }), async (request, reply) => reply.code(202).send(await trainer.post(`/models/${request.params.version}/deploy`, {}, forwardedCredentials(request))));

  app.get('/console/api/trainings', opts, async () => {
    const [runs, models] = await Promise.all([trainer.get<{ items: RunSummary[] }>('/trainings?limit=20'), trainer.get<{ items: ModelSummary[] }>('/models')]);
    return { items: withProgress(runs.items, models.items) };
  });
  app.post('/console/api/trainings', withParams({ body: Type.Object({ force: Type.Boolean() }, { additionalProperties: false }) }), async (request, reply) =>
    reply.code(202).send(await trainer.post('/trainings', { force: request.body.force }, forwardedCredentials(request))),
  );

  app.get('/console/api/parameters', opts, async () => ({ items: await listParameters(params()) }));
  app.get('/console/api/parameters/history', withParams({ querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 200, default: 30 }) }) }), async (request) =>
    listParameterHistory(params(), { limit: request.query.limit }),
  );
  app.put('/console/api/parameters/:name', withParams({ params: Type.Object({ name: Type.String({ maxLength: 128 }) }), body: Type.Object({ value: Type.Unknown() }, { additionalProperties: false }) }), async (request) =>
    putParameter(params(), { name: request.params.name, value: request.body.value, caller: actingAccount(request) }),
  );

  app.get('/console/api/detections', opts, async () => detector.get('/detections?limit=200'));
  app.get('/console/api/detections/:id', withParams({ params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 1400 }) }) }), async (request) =>
    detector.get(`/detections/${encodeURIComponent(request.params.id)}`),
  );
  app.get('/console/api/image', withParams({ querystring: Type.Object({ key: Type.String({ minLength: 1, maxLength: 1024 }) }) }), async (request, reply) => {
    const { key } = request.query;
    // only detection inputs: the console shows what consumers sent, nothing else of the bucket
    if (!key.startsWith(PREFIX.forDetection) || !hasImageExtension(key)) throw new RelabelError('STORE_INVALID_KEY', 'only images under images_for_detection/ are shown');
    const image = await app.providers.objectStore.get(key);
    return reply
      .header('content-type', /\.png$/i.test(key) ? 'image/png' : 'image/jpeg')
      .header('cache-control', 'private, max-age=300')
      .header('x-content-type-options', 'nosniff')
      .send(image.body);
  });

  app.get('/console/api/reviews', opts, async () => reviews(new Date()));
}
