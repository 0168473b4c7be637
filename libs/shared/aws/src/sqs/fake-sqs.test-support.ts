import { randomUUID } from 'crypto';
import { DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';

interface QueuedMessage {
  id: string;
  body: string;
  receipt: string | null;
  visibleAt: number;
  receives: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * An in-memory SQS queue behind aws-sdk-client-mock with the documented semantics that matter to an
 * inbox: a received message is invisible for the visibility timeout and comes back unless deleted
 * with its receipt handle; ReceiveMessage long-polls (shortened here to `longPollMs`) and answers
 * `{}` (no `Messages`) when the queue stays empty; at most MaxNumberOfMessages per receive.
 */
export function fakeSqs(opts: { visibilityMs: number; longPollMs?: number }) {
  const messages: QueuedMessage[] = [];
  const client = new SQSClient({ region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  const mock = mockClient(client);
  const visible = () => messages.filter((m) => m.visibleAt <= Date.now());

  mock.on(ReceiveMessageCommand).callsFake(async (input) => {
    const deadline = Date.now() + Math.min((input.WaitTimeSeconds ?? 0) * 1000, opts.longPollMs ?? 50);
    while (visible().length === 0 && Date.now() < deadline) await sleep(5);
    const batch = visible().slice(0, input.MaxNumberOfMessages ?? 1);
    if (batch.length === 0) return { $metadata: { httpStatusCode: 200 } };
    for (const m of batch) {
      m.receipt = randomUUID();
      m.visibleAt = Date.now() + opts.visibilityMs;
      m.receives += 1;
    }
    return { Messages: batch.map((m) => ({ MessageId: m.id, ReceiptHandle: m.receipt!, Body: m.body })), $metadata: { httpStatusCode: 200 } };
  });
  mock.on(DeleteMessageCommand).callsFake(async (input) => {
    const i = messages.findIndex((m) => m.receipt === input.ReceiptHandle);
    if (i >= 0) messages.splice(i, 1);
    return { $metadata: { httpStatusCode: 200 } };
  });

  return {
    client,
    mock,
    messages,
    send(body: string): void {
      messages.push({ id: randomUUID(), body, receipt: null, visibleAt: 0, receives: 0 });
    },
  };
}
