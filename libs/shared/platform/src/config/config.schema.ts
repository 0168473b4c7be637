import { Type, Static } from '@sinclair/typebox';
import { HumanLoopNameSchema } from '@relabel/contracts';
import { AdaptersSchema } from './adapters';

const Port = Type.Integer({ minimum: 0, maximum: 65535 });
const ServiceUrl = Type.String({ pattern: '^https?://[^/?#]+/?$' });

/** The one configuration schema for all four services (root README, "Configuration reference"). */
export const AppConfigSchema = Type.Object({
  /** the preset the adapter switches default to */
  profile: Type.Union([Type.Literal('local'), Type.Literal('aws')]),
  /** the adapter of each port: its switch, or the profile's preset */
  adapters: AdaptersSchema,
  dataDir: Type.String({ minLength: 1 }),
  /** the local object store folder: `<dataDir>/bucket` */
  bucketDir: Type.String({ minLength: 1 }),
  redisUrl: Type.String({ pattern: '^rediss?://' }),
  /** BullMQ prefix and Redis key prefix; tests use a unique one each */
  keyPrefix: Type.String({ pattern: '^[A-Za-z0-9_.-]{1,64}$' }),
  host: Type.String({ minLength: 1 }),
  ports: Type.Object({ detector: Port, trainer: Port, labeler: Port, configWatcher: Port }),
  /** where config-watcher's console reaches the other services' operator APIs (server-side) */
  serviceUrls: Type.Object({ detector: ServiceUrl, trainer: ServiceUrl, labeler: ServiceUrl }),
  tokens: Type.Object({
    admin: Type.Optional(Type.String({ minLength: 8 })),
    reviewer: Type.Optional(Type.String({ minLength: 8 })),
    detect: Type.Optional(Type.String({ minLength: 8 })),
  }),
  parameterPath: Type.String({ pattern: '^/([A-Za-z0-9_.-]+/)*$' }),
  detector: Type.Object({
    maxImageBytes: Type.Integer({ minimum: 1 }),
    maxPixels: Type.Integer({ minimum: 1 }),
    concurrency: Type.Integer({ minimum: 1, maximum: 64 }),
    maxQueued: Type.Integer({ minimum: 0 }),
  }),
  review: Type.Object({
    answersPerLoop: Type.Integer({ minimum: 1, maximum: 9 }),
    /** A2I names flow definitions by its loop-name rule */
    flowName: HumanLoopNameSchema,
    /** cap on new review loops per clock hour (unset: no cap); a deployment's reviewer capacity */
    maxLoopsPerHour: Type.Optional(Type.Integer({ minimum: 1 })),
  }),
  notifications: Type.Object({
    webhookUrl: Type.Optional(Type.String({ pattern: '^https?://' })),
    timeoutMs: Type.Integer({ minimum: 100 }),
    retries: Type.Integer({ minimum: 0, maximum: 10 }),
  }),
  reconcile: Type.Object({
    /** the slow sweep that rebuilds pending work from the object store */
    intervalMs: Type.Integer({ minimum: 1000 }),
    /** objects younger than this are left to the inbox (a file may still be copied in); looked at again after it */
    graceMs: Type.Integer({ minimum: 0 }),
  }),
  logLevel: Type.Union(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l))),
  aws: Type.Object({
    region: Type.Optional(Type.String()),
    endpointUrl: Type.Optional(Type.String()),
    bucket: Type.Optional(Type.String()),
    detectionEventsQueueUrl: Type.Optional(Type.String()),
    reviewEventsQueueUrl: Type.Optional(Type.String()),
    parameterEventsQueueUrl: Type.Optional(Type.String()),
    operatorTopicArn: Type.Optional(Type.String()),
    consumerTopicArn: Type.Optional(Type.String()),
    rekognitionProjectArn: Type.Optional(Type.String()),
    flowDefinitionArn: Type.Optional(Type.String()),
  }),
});

export type AppConfig = Static<typeof AppConfigSchema>;
export type ServiceName = 'detector' | 'trainer' | 'labeler' | 'config-watcher';

/** Which port each service listens on. */
export function servicePort(config: AppConfig, service: ServiceName): number {
  return service === 'config-watcher' ? config.ports.configWatcher : config.ports[service];
}
