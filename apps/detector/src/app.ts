import type { FastifyInstance } from 'fastify';
import { PREFIX, QUEUES } from '@relabel/contracts';
import { createServiceApp, type ServiceAppOptions } from '@relabel/platform';
import { uploadBodyLimit } from './routes/image-body';
import { isUploadedImageKey } from './domain/uploaded-image-key';
import { detectionCapability } from './plugins/detection.plugin';
import { detectRoutes } from './routes/detect.routes';
import { detectionListRoutes } from './routes/detection-list.routes';
import { detectionsRoutes } from './routes/detections.routes';
import { registerDetectionReconcile } from './workers/detection-reconcile';
import { registerDetectionWorker } from './workers/detection.worker';

export interface DetectorAppOptions extends ServiceAppOptions {
  /** host the `images_for_detection/` inbox and its worker (default true) */
  events?: boolean;
}

/** The detector: platform first, then the detection capability, its routes, its event worker and its reconcile. */
export async function buildApp(opts: DetectorAppOptions): Promise<FastifyInstance> {
  const app = await createServiceApp('detector', opts, { bodyLimit: uploadBodyLimit(opts.config.detector.maxImageBytes) });
  await app.register(detectionCapability);
  await app.register(detectRoutes);
  await app.register(detectionsRoutes);
  await app.register(detectionListRoutes);
  if (opts.events !== false) {
    registerDetectionWorker(app);
    registerDetectionReconcile(app);
    // POSTed images are detected by their request; their own events would only find the result.
    app.startInbox({ name: 'detector', prefixes: [PREFIX.forDetection], queue: QUEUES.detection, skip: isUploadedImageKey });
  }
  return app;
}
