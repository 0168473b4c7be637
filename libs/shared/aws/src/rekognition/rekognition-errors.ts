import { RelabelError, type ErrorCode } from '@relabel/contracts';
import { errorName, errorStatus, isThrottling } from '../common/sdk-error';

/** Where the call was made decides what a "not found" or an "invalid" means. */
export type RekognitionOp = 'project' | 'create' | 'version' | 'detect';

const NAMED: Record<string, ErrorCode> = {
  ResourceNotReadyException: 'MODEL_NOT_READY',
  ResourceInUseException: 'MODEL_NOT_READY',
  InvalidImageFormatException: 'IMAGE_CORRUPT',
  ImageTooLargeException: 'IMAGE_TOO_LARGE',
};

function codeFor(err: unknown, op: RekognitionOp): ErrorCode {
  const name = errorName(err);
  if (name === 'ResourceNotFoundException') return op === 'project' || op === 'create' ? 'CONFIG_INVALID' : 'MODEL_NOT_FOUND';
  if (name === 'InvalidS3ObjectException') return op === 'create' ? 'TRAINING_DATASET_INVALID' : 'STORE_NOT_FOUND';
  if (name === 'InvalidParameterException' || name === 'ValidationException') return op === 'create' ? 'TRAINING_DATASET_INVALID' : 'REQUEST_INVALID';
  if (NAMED[name]) return NAMED[name]!;
  if (isThrottling(err)) return 'MODEL_THROTTLED';
  return 'MODEL_SERVICE_UNAVAILABLE';
}

/**
 * Rekognition exceptions → catalog codes: throttling → MODEL_THROTTLED, not running → MODEL_NOT_READY,
 * unknown version → MODEL_NOT_FOUND (an unknown project is a configuration error), bad image →
 * IMAGE_*, bad manifests → TRAINING_DATASET_INVALID; 5xx, network and access problems →
 * MODEL_SERVICE_UNAVAILABLE (retried). The SDK error stays the cause, never the public message.
 */
export function rekognitionError(err: unknown, op: RekognitionOp, subject: string): RelabelError {
  if (err instanceof RelabelError) return err;
  const code = codeFor(err, op);
  const awsError = errorName(err);
  const message =
    code === 'CONFIG_INVALID'
      ? `the Rekognition project ${subject} does not exist (RELABEL_REKOGNITION_PROJECT_ARN)`
      : `Rekognition ${op} ${subject} failed: ${awsError}`;
  return new RelabelError(code, message, { op, subject, awsError, status: errorStatus(err) }, { cause: err });
}
