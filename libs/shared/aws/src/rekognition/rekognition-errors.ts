import { RelabelError, type ErrorCode } from '@relabel/contracts';
import { errorMessage, errorName, errorStatus, isQuotaExceeded, isThrottling } from '../common/sdk-error';

/** Where the call was made decides what a "not found" or an "invalid" means. */
export type RekognitionOp = 'project' | 'create' | 'version' | 'detect';

const NAMED: Record<string, ErrorCode> = {
  ResourceNotReadyException: 'MODEL_NOT_READY',
  ResourceInUseException: 'MODEL_NOT_READY',
  InvalidImageFormatException: 'IMAGE_CORRUPT',
  ImageTooLargeException: 'IMAGE_TOO_LARGE',
};

/** The Custom Labels quota each call runs into (Service Quotas → Amazon Rekognition). */
const QUOTA_OF: Record<RekognitionOp, string> = {
  project: 'a Rekognition Custom Labels account quota',
  create: 'the Rekognition Custom Labels quota on concurrent model trainings (or on models per project)',
  version: 'the Rekognition Custom Labels quota on running models / inference units',
  detect: 'a Rekognition Custom Labels quota on DetectCustomLabels',
};

function codeFor(err: unknown, op: RekognitionOp): ErrorCode {
  const name = errorName(err);
  if (name === 'ResourceNotFoundException') return op === 'project' || op === 'create' ? 'CONFIG_INVALID' : 'MODEL_NOT_FOUND';
  if (name === 'InvalidS3ObjectException') return op === 'create' ? 'TRAINING_DATASET_INVALID' : 'STORE_NOT_FOUND';
  if (name === 'InvalidParameterException' || name === 'ValidationException') return op === 'create' ? 'TRAINING_DATASET_INVALID' : 'REQUEST_INVALID';
  if (NAMED[name]) return NAMED[name]!;
  if (isQuotaExceeded(err)) return 'QUOTA_EXCEEDED';
  if (isThrottling(err)) return 'MODEL_THROTTLED';
  return 'MODEL_SERVICE_UNAVAILABLE';
}

/**
 * Rekognition exceptions → catalog codes: throttling → MODEL_THROTTLED (retried), a quota
 * (LimitExceeded, ServiceQuotaExceeded) → QUOTA_EXCEEDED naming it (not retried: a quota does not
 * lift by itself), not running → MODEL_NOT_READY, unknown version → MODEL_NOT_FOUND (an unknown
 * project is a configuration error), bad image → IMAGE_*, bad manifests → TRAINING_DATASET_INVALID;
 * 5xx, network and access problems → MODEL_SERVICE_UNAVAILABLE (retried). The SDK error stays the
 * cause, never the public message.
 */
export function rekognitionError(err: unknown, op: RekognitionOp, subject: string): RelabelError {
  if (err instanceof RelabelError) return err;
  const code = codeFor(err, op);
  const awsError = errorName(err);
  const message =
    code === 'CONFIG_INVALID'
      ? `the Rekognition project ${subject} does not exist (RELABEL_REKOGNITION_PROJECT_ARN)`
      : code === 'QUOTA_EXCEEDED'
        ? `Rekognition ${op} ${subject} hit ${QUOTA_OF[op]} (${awsError}: ${errorMessage(err)}); raise it in Service Quotas or stop other versions`
        : `Rekognition ${op} ${subject} failed: ${awsError}`;
  return new RelabelError(code, message, { op, subject, awsError, status: errorStatus(err) }, { cause: err });
}

/**
 * CreateProjectVersion refuses TrainingData/TestingData once the project has datasets (created in
 * the console, or by the console after it opened a manifest-trained project). That is the project's
 * state, not the data's fault: a distinct code, so the trainer does not blame the dataset.
 */
export function projectHasDatasetsError(err: unknown, projectArn: string, datasets: string[]): RelabelError {
  return new RelabelError(
    'MODEL_PROJECT_HAS_DATASETS',
    `the Rekognition project ${projectArn} has datasets (${datasets.join(', ')}), so it no longer trains from manifest files: ` +
      'point RELABEL_REKOGNITION_PROJECT_ARN at a project without datasets (create one with the API, and do not open it in the console)',
    { projectArn, datasets, awsError: errorName(err) },
    { cause: err },
  );
}
