import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { MODEL_ACTIVATED_CHANNEL, ObjectCreated, QUEUES, objectCreatedJobId } from '@relabel/contracts';
import type { HumanReview, Logger } from '@relabel/ports';
import { withProviderGetters } from '@relabel/platform';
import { ActiveModelTracker } from '../infra/active-model';
import { createDetectionMetrics, DetectionMetrics } from '../infra/detection-metrics';
import { InferenceLimiter } from '../domain/inference-limiter';
import { RedisDetectionLocks } from '../infra/redis-detection-locks';
import { NO_REVIEW_CAP } from '../domain/review-cap';
import { RedisReviewCap } from '../infra/redis-review-cap';
import { detectObject, DetectObjectDeps, DetectObjectOutcome } from '../use-cases/detect-object.use-case';
import { DetectionWithReview, getDetection } from '../use-cases/get-detection.use-case';
import { requestReview } from '../use-cases/request-review.use-case';
import { submitImage, SubmitImageDeps } from '../use-cases/submit-image.use-case';
import type { DetectionView } from '../domain/detection-record';

/** Re-read of the active pointer in case a `model.activated` message was missed (Redis restart). */
const ACTIVE_MODEL_REFRESH_MS = 5000;
/** Longer than any detection; a crashed holder's image is free again after this. */
const LOCK_TTL_MS = 60_000;

export interface Detection {
  limiter: InferenceLimiter;
  metrics: DetectionMetrics;
  activeModel: ActiveModelTracker;
  submit(bytes: Buffer, options: { maxResults: number }): Promise<DetectionView>;
  detectObject(event: ObjectCreated): Promise<DetectObjectOutcome>;
  get(id: string): Promise<DetectionWithReview>;
  /** an operator's request to send a detection to review */
  requestReview(id: string): Promise<DetectionView>;
}

declare module 'fastify' {
  interface FastifyInstance {
    detection: Detection;
  }
}

/**
 * The detection capability: backpressure, the live-model tracker, per-image locks and metrics,
 * and the use cases bound to the platform's providers. Providers are read lazily (getters), so
 * nothing is constructed before it is first needed.
 */
async function detectionPlugin(app: FastifyInstance): Promise<void> {
  const { config } = app;
  const logger = app.log as unknown as Logger;
  const limiter = new InferenceLimiter(config.detector.concurrency, config.detector.maxQueued);
  const activeModel = new ActiveModelTracker(
    { get: (item) => app.providers.operationalState.get(item) },
    logger.child({ component: 'active-model' }),
  );
  const metrics = createDetectionMetrics(app.metrics.registry, limiter);
  const deps: DetectObjectDeps & SubmitImageDeps & { humanReview: HumanReview } = withProviderGetters(app.providers, { store: 'objectStore', modelService: 'modelService', humanReview: 'humanReview', notifier: 'notifier' }, {
    parameters: { current: () => app.parameters.current() },
    activeModel,
    limiter,
    locks: new RedisDetectionLocks(app.redis, config.keyPrefix),
    observeCapture: (review) => metrics.captured(review),
    reviewCap: config.review.maxLoopsPerHour ? new RedisReviewCap(app.redis, config.keyPrefix, config.review.maxLoopsPerHour) : NO_REVIEW_CAP,
    logger,
    limits: { maxBytes: config.detector.maxImageBytes, maxPixels: config.detector.maxPixels },
    lockTtlMs: LOCK_TTL_MS,
    maxResults: 5,
    enqueueObjectCreated: (event) => app.queues.get(QUEUES.detection).add('object-created', event, { jobId: objectCreatedJobId(event) }),
  });

  app.decorate('detection', {
    limiter,
    metrics,
    activeModel,
    submit: (bytes, options) => submitImage(deps, bytes, options),
    detectObject: (event) => detectObject(deps, event),
    get: (id) => getDetection(deps, id),
    requestReview: (id) => requestReview(deps, id),
  } satisfies Detection);

  app.readiness.add('active-model', async () => {
    await app.providers.operationalState.get('activeModelVersion');
  });
  app.addHook('onReady', async () => {
    await app.subscribe(MODEL_ACTIVATED_CHANNEL, async () => {
      await activeModel.refresh();
    });
    activeModel.start(ACTIVE_MODEL_REFRESH_MS);
  });
  app.addHook('onClose', async () => activeModel.stop());
}

export const detectionCapability = fp(detectionPlugin, {
  name: 'relabel-detection',
  fastify: '5.x',
  decorators: { fastify: ['config', 'providers', 'redis', 'metrics', 'parameters', 'subscribe', 'readiness', 'queues'] },
  dependencies: ['relabel-platform'],
});
