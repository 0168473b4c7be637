import path from 'path';
import { RelabelError, describeErrors, isValid } from '@relabel/contracts';
import { ADAPTER_ENV, Adapters, checkAdapterCombination, PROFILE_PRESETS } from './adapters';
import { AppConfig, AppConfigSchema } from './config.schema';

type Env = Record<string, string | undefined>;

/** The environment variables relabel reads, with their defaults — the configuration reference. */
export const ENV_DEFAULTS = {
  RELABEL_PROFILE: 'local',
  RELABEL_DATA_DIR: './data',
  REDIS_URL: 'redis://127.0.0.1:6379',
  RELABEL_KEY_PREFIX: 'relabel',
  RELABEL_HOST: '127.0.0.1',
  RELABEL_DETECTOR_PORT: '8080',
  RELABEL_TRAINER_PORT: '8081',
  RELABEL_LABELER_PORT: '8082',
  RELABEL_CONFIG_WATCHER_PORT: '8083',
  RELABEL_PARAMETER_PATH: '/relabel/',
  RELABEL_MAX_IMAGE_BYTES: String(15 * 1024 * 1024),
  RELABEL_MAX_IMAGE_PIXELS: String(50_000_000),
  RELABEL_DETECT_CONCURRENCY: '2',
  RELABEL_DETECT_MAX_QUEUED: '64',
  RELABEL_REVIEW_ANSWERS_PER_LOOP: '1',
  RELABEL_REVIEW_FLOW_NAME: 'relabel-review',
  RELABEL_WEBHOOK_TIMEOUT_MS: '3000',
  RELABEL_WEBHOOK_RETRIES: '3',
  RELABEL_RECONCILE_INTERVAL_MS: String(10 * 60_000),
  RELABEL_RECONCILE_GRACE_MS: '15000',
  LOG_LEVEL: 'info',
} as const;

const int = (v: string | undefined): number | string | undefined => (v !== undefined && /^-?\d+$/.test(v) ? Number(v) : v);
const opt = (v: string | undefined): string | undefined => (v === undefined || v === '' ? undefined : v);

/**
 * Reads the environment once, validates it against the one schema and fails naming every bad key.
 * This is the only place in relabel that reads `process.env`.
 */
export function loadConfig(env: Env = process.env): AppConfig {
  const e = (key: keyof typeof ENV_DEFAULTS): string => opt(env[key]) ?? ENV_DEFAULTS[key];
  const dataDir = path.resolve(e('RELABEL_DATA_DIR'));
  // By default each service is reached on this machine at its configured port.
  const serviceUrl = (key: string, portKey: keyof typeof ENV_DEFAULTS) => opt(env[key])?.replace(/\/$/, '') ?? `http://127.0.0.1:${e(portKey)}`;
  const profile = e('RELABEL_PROFILE');
  // an unknown profile is reported by the schema below; its switches meanwhile default to local
  const preset = PROFILE_PRESETS[profile === 'aws' ? 'aws' : 'local'];
  const adapters = Object.fromEntries(
    (Object.keys(ADAPTER_ENV) as Array<keyof Adapters>).map((c) => [c, opt(env[ADAPTER_ENV[c]]) ?? preset[c]]),
  );
  const candidate = {
    profile,
    adapters,
    dataDir,
    bucketDir: path.join(dataDir, 'bucket'),
    redisUrl: e('REDIS_URL'),
    keyPrefix: e('RELABEL_KEY_PREFIX'),
    host: e('RELABEL_HOST'),
    ports: {
      detector: int(e('RELABEL_DETECTOR_PORT')),
      trainer: int(e('RELABEL_TRAINER_PORT')),
      labeler: int(e('RELABEL_LABELER_PORT')),
      configWatcher: int(e('RELABEL_CONFIG_WATCHER_PORT')),
    },
    serviceUrls: {
      detector: serviceUrl('RELABEL_DETECTOR_URL', 'RELABEL_DETECTOR_PORT'),
      trainer: serviceUrl('RELABEL_TRAINER_URL', 'RELABEL_TRAINER_PORT'),
      labeler: serviceUrl('RELABEL_LABELER_URL', 'RELABEL_LABELER_PORT'),
    },
    tokens: {
      admin: opt(env.RELABEL_ADMIN_TOKEN),
      reviewer: opt(env.RELABEL_REVIEWER_TOKEN),
      detect: opt(env.RELABEL_DETECT_TOKEN),
    },
    parameterPath: e('RELABEL_PARAMETER_PATH'),
    detector: {
      maxImageBytes: int(e('RELABEL_MAX_IMAGE_BYTES')),
      maxPixels: int(e('RELABEL_MAX_IMAGE_PIXELS')),
      concurrency: int(e('RELABEL_DETECT_CONCURRENCY')),
      maxQueued: int(e('RELABEL_DETECT_MAX_QUEUED')),
    },
    review: {
      answersPerLoop: int(e('RELABEL_REVIEW_ANSWERS_PER_LOOP')),
      flowName: e('RELABEL_REVIEW_FLOW_NAME'),
      maxLoopsPerHour: int(opt(env.RELABEL_REVIEW_MAX_LOOPS_PER_HOUR)),
    },
    notifications: {
      webhookUrl: opt(env.RELABEL_WEBHOOK_URL),
      timeoutMs: int(e('RELABEL_WEBHOOK_TIMEOUT_MS')),
      retries: int(e('RELABEL_WEBHOOK_RETRIES')),
    },
    reconcile: { intervalMs: int(e('RELABEL_RECONCILE_INTERVAL_MS')), graceMs: int(e('RELABEL_RECONCILE_GRACE_MS')) },
    logLevel: e('LOG_LEVEL'),
    aws: {
      region: opt(env.AWS_REGION) ?? opt(env.AWS_DEFAULT_REGION),
      endpointUrl: opt(env.AWS_ENDPOINT_URL),
      bucket: opt(env.RELABEL_S3_BUCKET),
      detectionEventsQueueUrl: opt(env.RELABEL_DETECTION_EVENTS_QUEUE_URL),
      reviewEventsQueueUrl: opt(env.RELABEL_REVIEW_EVENTS_QUEUE_URL),
      parameterEventsQueueUrl: opt(env.RELABEL_PARAMETER_EVENTS_QUEUE_URL),
      operatorTopicArn: opt(env.RELABEL_OPERATOR_TOPIC_ARN),
      consumerTopicArn: opt(env.RELABEL_CONSUMER_TOPIC_ARN),
      rekognitionProjectArn: opt(env.RELABEL_REKOGNITION_PROJECT_ARN),
      flowDefinitionArn: opt(env.RELABEL_A2I_FLOW_DEFINITION_ARN),
    },
  };
  if (!isValid(AppConfigSchema, candidate)) {
    throw new RelabelError('CONFIG_INVALID', `invalid configuration: ${describeErrors(AppConfigSchema, candidate, 20)}`);
  }
  const impossible = checkAdapterCombination(candidate.adapters);
  if (impossible) throw impossible;
  return candidate;
}
