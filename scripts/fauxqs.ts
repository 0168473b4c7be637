/**
 * `npm run fauxqs`: S3 + SQS + SNS on this machine (the fauxqs emulator) laid out for relabel — the
 * bucket, the detection and review event queues with the bucket's notifications feeding them, and
 * the operator and consumer topics — then prints the environment a service needs to use it
 * (README "Mix and match adapters"). FAUXQS_PORT picks the port (default 4566). Ctrl+C stops it.
 */
import { startWireAws } from '../libs/shared/aws/src/testing/wire-aws';

const BUCKET = 'relabel';

async function main(): Promise<void> {
  const port = Number(process.env.FAUXQS_PORT ?? 4566);
  const wire = await startWireAws({ port });
  wire.bucket(BUCKET);
  const detection = wire.queue('relabel-detection-events', { VisibilityTimeout: '60' });
  const review = wire.queue('relabel-review-events', { VisibilityTimeout: '60' });
  wire.notifyObjectsCreated(BUCKET, [
    { prefix: 'images_for_detection/', queueUrl: detection },
    { prefix: 'a2i-human-loop-data/', queueUrl: review },
  ]);
  const env = {
    AWS_REGION: wire.region,
    AWS_ENDPOINT_URL: wire.endpoint,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    RELABEL_S3_BUCKET: BUCKET,
    RELABEL_DETECTION_EVENTS_QUEUE_URL: detection,
    RELABEL_REVIEW_EVENTS_QUEUE_URL: review,
    RELABEL_OPERATOR_TOPIC_ARN: wire.server.createTopic('relabel-operator').topicArn,
    RELABEL_CONSUMER_TOPIC_ARN: wire.server.createTopic('relabel-consumer').topicArn,
  };
  process.stdout.write(`[fauxqs] S3, SQS and SNS on ${wire.endpoint}; in another shell:\n`);
  for (const [name, value] of Object.entries(env)) process.stdout.write(`export ${name}=${value}\n`);
  const stop = () => void wire.stop().finally(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: Error) => {
  process.stderr.write(`[fauxqs] cannot start: ${err.message}\n`);
  process.exit(1);
});
