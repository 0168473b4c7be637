import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { PublishCommand } from '@aws-sdk/client-sns';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import type { FauxqsServer, SpyMessage } from 'fauxqs';
import { createAwsClients, type AwsClients } from '../clients/aws-clients';
import { bareETag } from '../s3/s3-errors';
import { notificationBody, NOTIFICATION_SHAPES, s3EventDocument, type NotificationShape } from './s3-notification.test-support';

/** One route of a bucket's notification configuration: objects created under `prefix` → `queueUrl`. */
export interface NotificationRoute {
  prefix: string;
  queueUrl: string;
}

export interface WireAws {
  /** what `AWS_ENDPOINT_URL` points at */
  endpoint: string;
  region: string;
  server: FauxqsServer;
  /** real SDK clients against the emulator, as the composition builds them */
  clients: AwsClients;
  queue(name: string, attributes?: Record<string, string>): string;
  topic(name: string): string;
  bucket(name: string): void;
  /**
   * What S3's bucket notifications do on AWS (fauxqs has none): every object created in `bucket`
   * under a route's prefix is announced on the route's queue, taking the three shapes in turn —
   * direct S3 event, the same event wrapped by a real SNS topic subscription, EventBridge.
   */
  notifyObjectsCreated(bucket: string, routes: NotificationRoute[]): void;
  /** how many announcements were sent, by shape */
  readonly announced: Record<NotificationShape, number>;
  stop(): Promise<void>;
}

/** An emulator's credentials; the SDK's default chain reads them (relabel never passes credentials). */
function useEmulatorCredentials(): void {
  process.env.AWS_ACCESS_KEY_ID ??= 'test';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'test';
}

/**
 * fauxqs in this process (tests: on a port the OS picks; `npm run fauxqs`: a fixed one), with SDK
 * clients pointing at it. Test support and a development tool — never part of a service.
 */
export async function startWireAws(options: { region?: string; port?: number } = {}): Promise<WireAws> {
  const region = options.region ?? 'eu-west-1';
  useEmulatorCredentials();
  // fauxqs is ESM with only an `import` export: a dynamic import loads it from CommonJS (tsx)
  const { startFauxqs } = await import('fauxqs');
  const server = await startFauxqs({ port: options.port ?? 0, host: '127.0.0.1', logger: false, defaultRegion: region, messageSpies: { bufferSize: 100_000 } });
  const endpoint = `http://127.0.0.1:${server.port}`;
  const clients = createAwsClients({ region, endpoint });
  const announced: Record<NotificationShape, number> = { direct: 0, sns: 0, eventbridge: 0 };
  const seen = new WeakSet<SpyMessage>();
  const timers: NodeJS.Timeout[] = [];
  let busy: Promise<void> = Promise.resolve();
  let turn = 0;
  let topicSeq = 0;
  const topics = new Map<string, string>();

  async function announce(bucket: string, key: string, queueUrl: string): Promise<void> {
    const head = await clients.s3().send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    const object = { bucket, key, size: head.ContentLength ?? 0, eTag: bareETag(head.ETag) };
    const shape = NOTIFICATION_SHAPES[turn++ % NOTIFICATION_SHAPES.length]!;
    announced[shape] += 1;
    if (shape === 'sns') {
      // a topic per queue, subscribed without raw delivery: fauxqs wraps the event as SNS does
      let topicArn = topics.get(queueUrl);
      if (!topicArn) {
        const queueName = queueUrl.split('/').pop()!;
        topicArn = server.createTopic(`s3-events-${queueName}`).topicArn;
        server.subscribe({ topic: `s3-events-${queueName}`, queue: queueName });
        topics.set(queueUrl, topicArn);
      }
      await clients.sns().send(new PublishCommand({ TopicArn: topicArn, Message: s3EventDocument(object) }));
      return;
    }
    await clients.sqs().send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: notificationBody(shape, object) }));
  }

  return {
    endpoint,
    region,
    server,
    clients,
    announced,
    queue: (name, attributes) => server.createQueue(name, { attributes }).queueUrl,
    topic: (name) => server.createTopic(`${name}-${++topicSeq}`).topicArn,
    bucket: (name) => void server.createBucket(name),
    notifyObjectsCreated(bucket, routes) {
      const scan = async () => {
        for (const m of server.spy.getAllMessages()) {
          if (seen.has(m) || m.service !== 's3' || m.status !== 'uploaded' || m.bucket !== bucket) continue;
          seen.add(m);
          const route = routes.find((r) => m.key.startsWith(r.prefix));
          if (route) await announce(bucket, m.key, route.queueUrl);
        }
      };
      timers.push(
        setInterval(() => {
          busy = busy.then(scan).catch(() => undefined);
        }, 25),
      );
    },
    async stop() {
      for (const timer of timers.splice(0)) clearInterval(timer);
      await busy;
      clients.destroy();
      await server.stop();
    },
  };
}
