import { randomBytes } from 'crypto';
import { DeleteMessageCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { silentLogger } from '@relabel/ports';
import { describeNotifierConformance } from '@relabel/ports/testing';
import { startWireAws, type WireAws } from '../testing/wire-aws';
import { createSnsNotifier } from './sns-notifier.adapter';

// The SNS notifier through the real SDK client against fauxqs; what reached each topic is read back
// from an SQS queue subscribed to it (the usual way to consume a topic), envelope and attributes included.
let wire: WireAws;
beforeAll(async () => {
  wire = await startWireAws();
});
afterAll(() => wire.stop());

describeNotifierConformance('SNS (fauxqs on the wire)', async () => {
  const id = randomBytes(4).toString('hex');
  const channels = ['operator', 'consumer'] as const;
  const topics = Object.fromEntries(channels.map((c) => [c, { name: `relabel-${c}-${id}`, queue: `relabel-${c}-inbox-${id}` }])) as Record<(typeof channels)[number], { name: string; queue: string }>;
  const arns: Record<string, string> = {};
  const queues: Record<string, string> = {};
  for (const c of channels) {
    arns[c] = wire.server.createTopic(topics[c].name).topicArn;
    queues[c] = wire.queue(topics[c].queue);
    wire.server.subscribe({ topic: topics[c].name, queue: topics[c].queue });
  }
  const notifier = createSnsNotifier({ client: wire.clients.sns(), logger: silentLogger }, { operatorTopicArn: arns.operator, consumerTopicArn: arns.consumer });
  const received: Array<{ channel: string; type: string; subject: string; data: Record<string, unknown>; dedupeId?: string }> = [];
  return {
    notifier,
    received: async () => {
      for (const c of channels) {
        const { Messages = [] } = await wire.clients.sqs().send(new ReceiveMessageCommand({ QueueUrl: queues[c], MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
        for (const m of Messages) {
          const envelope = JSON.parse(m.Body!) as { Type: string; TopicArn: string; Message: string; MessageAttributes: Record<string, { Value: string }> };
          expect(envelope).toMatchObject({ Type: 'Notification', TopicArn: arns[c] });
          const body = JSON.parse(envelope.Message);
          expect(body.channel).toBe(c);
          expect(envelope.MessageAttributes.type?.Value).toBe(body.type);
          received.push(body);
          await wire.clients.sqs().send(new DeleteMessageCommand({ QueueUrl: queues[c], ReceiptHandle: m.ReceiptHandle }));
        }
      }
      return received;
    },
    cleanup: async () => {
      for (const c of channels) {
        wire.server.deleteTopic(topics[c].name);
        wire.server.deleteQueue(topics[c].queue);
      }
    },
  };
});
