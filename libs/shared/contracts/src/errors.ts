import { Type } from '@sinclair/typebox';
/**
 * The one error catalog. Codes are stable (clients and alerts depend on them): add new ones, never
 * rename. `status` is the HTTP status at the edge; `retryable` tells workers whether BullMQ should
 * retry (transient) or fail the job at once (permanent, e.g. malformed input).
 */
export const ERRORS = {
  // contracts / input
  CONTRACT_INVALID_PAYLOAD: { status: 400, retryable: false, message: 'The message does not match its schema' },
  REQUEST_INVALID: { status: 400, retryable: false, message: 'The request is invalid' },
  // object store
  STORE_INVALID_KEY: { status: 400, retryable: false, message: 'The object key is not allowed' },
  STORE_NOT_FOUND: { status: 404, retryable: false, message: 'No object with that key' },
  STORE_UNAVAILABLE: { status: 503, retryable: true, message: 'The object store is unavailable' },
  // images
  IMAGE_EMPTY: { status: 400, retryable: false, message: 'The image is empty' },
  IMAGE_TOO_LARGE: { status: 413, retryable: false, message: 'The image is over the size limit' },
  IMAGE_UNSUPPORTED_TYPE: { status: 415, retryable: false, message: 'Only JPEG and PNG images are accepted' },
  IMAGE_CORRUPT: { status: 422, retryable: false, message: 'The image cannot be decoded' },
  IMAGE_DIMENSIONS: { status: 422, retryable: false, message: 'The image dimensions are outside the allowed range' },
  MULTIPART_NO_IMAGE: { status: 400, retryable: false, message: 'The multipart body has no file field "image"' },
  MULTIPART_INVALID: { status: 400, retryable: false, message: 'The multipart body cannot be parsed' },
  // parameters
  PARAM_UNKNOWN: { status: 404, retryable: false, message: 'No such parameter' },
  PARAM_INVALID: { status: 400, retryable: false, message: 'The parameter value is invalid' },
  PARAM_STORE_UNAVAILABLE: { status: 503, retryable: true, message: 'The parameter store is unavailable' },
  PARAM_STORE_ACCESS_DENIED: { status: 503, retryable: false, message: 'The parameter store refused access (check the role policy)' },
  // models / training
  MODEL_NOT_FOUND: { status: 404, retryable: false, message: 'No such model version' },
  MODEL_NOT_READY: { status: 409, retryable: false, message: 'The model version is not in a state that allows this' },
  MODEL_NONE_ACTIVE: { status: 409, retryable: false, message: 'No model is deployed yet' },
  MODEL_SERVICE_UNAVAILABLE: { status: 503, retryable: true, message: 'The model service is unavailable' },
  MODEL_THROTTLED: { status: 503, retryable: true, message: 'The model service is throttling requests' },
  TRAINING_NOT_FOUND: { status: 404, retryable: false, message: 'No such training run' },
  TRAINING_DATASET_INVALID: { status: 422, retryable: false, message: 'The dataset cannot be trained' },
  TRAINING_IN_FLIGHT: { status: 409, retryable: false, message: 'A training or deployment is already in flight' },
  MODEL_PROJECT_HAS_DATASETS: { status: 409, retryable: false, message: 'The model project has datasets, so it cannot train from manifests' },
  // detection
  DETECTION_NOT_FOUND: { status: 404, retryable: false, message: 'No such detection' },
  DETECTION_BUSY: { status: 503, retryable: true, message: 'Inference is saturated, retry later' },
  DETECTION_IN_PROGRESS: { status: 409, retryable: true, message: 'The image is being detected right now' },
  DETECTION_NOT_REVIEWABLE: { status: 409, retryable: false, message: 'The detection has no image that can be reviewed' },
  // human review / labels
  REVIEW_LOOP_NOT_FOUND: { status: 404, retryable: false, message: 'No such human loop' },
  REVIEW_LOOP_CLOSED: { status: 409, retryable: false, message: 'The human loop is no longer pending' },
  REVIEW_INVALID_LABEL: { status: 400, retryable: false, message: 'The label is not allowed' },
  REVIEW_OUTPUT_INVALID: { status: 422, retryable: false, message: 'The human loop output cannot be read' },
  REVIEW_INVALID_LOOP_NAME: { status: 400, retryable: false, message: 'The human loop name is not valid for A2I' },
  // auth
  AUTH_REQUIRED: { status: 401, retryable: false, message: 'Authentication is required' },
  AUTH_INVALID: { status: 401, retryable: false, message: 'The credentials are invalid' },
  AUTH_FORBIDDEN: { status: 403, retryable: false, message: 'The account may not do this' },
  AUTH_CSRF: { status: 403, retryable: false, message: 'The CSRF token is missing or wrong' },
  AUTH_RATE_LIMITED: { status: 429, retryable: true, message: 'Too many failed logins, retry later' },
  // accounts
  ACCOUNT_NOT_FOUND: { status: 404, retryable: false, message: 'No such account or token' },
  ACCOUNT_EXISTS: { status: 409, retryable: false, message: 'An account with that name exists' },
  ACCOUNT_INVALID: { status: 400, retryable: false, message: 'The account request is invalid' },
  // infrastructure
  CONFIG_INVALID: { status: 500, retryable: false, message: 'The service configuration is invalid' },
  DEPENDENCY_UNAVAILABLE: { status: 503, retryable: true, message: 'A dependency is unavailable' },
  QUOTA_EXCEEDED: { status: 503, retryable: false, message: 'A cloud service quota is used up; raise it or free capacity' },
  REDIS_EVICTION_POLICY: { status: 500, retryable: false, message: 'Redis may evict keys (maxmemory-policy is not noeviction)' },
  NOT_FOUND: { status: 404, retryable: false, message: 'Not found' },
  INTERNAL: { status: 500, retryable: true, message: 'Internal error' },
} as const satisfies Record<string, { status: number; retryable: boolean; message: string }>;

export type ErrorCode = keyof typeof ERRORS;

export class RelabelError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly retryable: boolean;
  readonly details?: Record<string, unknown>;

  constructor(code: ErrorCode, message?: string, details?: Record<string, unknown>, options?: { cause?: unknown }) {
    super(message ?? ERRORS[code].message, options);
    this.name = 'RelabelError';
    this.code = code;
    this.status = ERRORS[code].status;
    this.retryable = ERRORS[code].retryable;
    this.details = details;
  }
}

export function isRelabelError(err: unknown): err is RelabelError {
  return err instanceof RelabelError;
}

export function isErrorCode(err: unknown, code: ErrorCode): boolean {
  return isRelabelError(err) && err.code === code;
}

/**
 * The body of every error response, `{ code, message, details? }` (the error handler in
 * `libs/shared/platform/src/http/error-handler.ts` writes it). Routes use this one schema for their
 * error statuses: a response schema without `details` would make fastify's serializer strip them.
 */
export const ErrorSchema = Type.Object({
  code: Type.String(),
  message: Type.String(),
  details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
});
