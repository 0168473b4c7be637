import type { onRequestAsyncHookHandler } from 'fastify';
import { Type } from '@sinclair/typebox';
import { RelabelError, isRelabelError, ErrorSchema } from '@relabel/contracts';
import { requireBearer, type RelabelApp } from '@relabel/platform';
import { DetectionViewSchema } from '../domain/detection-record';
import { installImageBodyParsers, readImageBody, uploadBodyLimit } from './image-body';


const QuerySchema = Type.Object({
  maxResults: Type.Integer({ minimum: 1, maximum: 100, default: 5, description: 'at most this many labels' }),
});

/**
 * POST /detect. Admission (and the optional token) are checked in `onRequest`, before the body is
 * read, so a saturated detector answers 503 + Retry-After without buffering another image.
 */
export async function detectRoutes(app: RelabelApp): Promise<void> {
  const { config, detection } = app;
  const maxBytes = config.detector.maxImageBytes;
  await installImageBodyParsers(app, maxBytes);

  const guards: onRequestAsyncHookHandler[] = [];
  if (config.tokens.detect) guards.push(requireBearer([config.tokens.detect]) as onRequestAsyncHookHandler);
  guards.push(async (request, reply) => {
    const release = detection.limiter.tryAdmit();
    if (!release) {
      reply.header('retry-after', '1');
      throw new RelabelError('DETECTION_BUSY', 'the detector is saturated; retry after a second');
    }
    // 'close' fires once the response is sent or the client went away: the slot always comes back.
    reply.raw.once('close', release);
  });

  app.post(
    '/detect',
    {
      onRequest: guards,
      // Every refusal, from the body parser and the admission guard included, is counted once here.
      onError: async (_request, _reply, err) => {
        const status = isRelabelError(err) ? err.status : (err.statusCode ?? 500);
        const busy = isRelabelError(err) && err.code === 'DETECTION_BUSY';
        detection.metrics.count('api', busy ? 'busy' : status < 500 ? 'rejected' : 'error');
      },
      bodyLimit: uploadBodyLimit(maxBytes),
      schema: {
        tags: ['detection'],
        summary: 'Detect labels in an image',
        description:
          'Body: the image (Content-Type image/jpeg or image/png) or multipart/form-data with a file field "image". ' +
          'Errors: IMAGE_EMPTY, IMAGE_TOO_LARGE (413), IMAGE_UNSUPPORTED_TYPE (415), IMAGE_CORRUPT / IMAGE_DIMENSIONS (422), ' +
          'MULTIPART_NO_IMAGE / MULTIPART_INVALID (400), DETECTION_BUSY (503 + Retry-After), AUTH_* (401, when RELABEL_DETECT_TOKEN is set).',
        querystring: QuerySchema,
        consumes: ['image/jpeg', 'image/png', 'multipart/form-data'],
        response: { 200: DetectionViewSchema, '4xx': ErrorSchema, '5xx': ErrorSchema },
      },
    },
    async (request) => {
      const done = detection.metrics.start('api');
      const bytes = await readImageBody(request, maxBytes);
      const { maxResults } = request.query;
      const view = await detection.submit(bytes, { maxResults });
      done(view.status);
      return view;
    },
  );
}
