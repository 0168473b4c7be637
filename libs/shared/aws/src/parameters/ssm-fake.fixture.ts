import {
  GetParameterHistoryCommand,
  GetParametersByPathCommand,
  PutParameterCommand,
  SSMClient,
  type ParameterHistory,
} from '@aws-sdk/client-ssm';
import { DeleteMessageCommand, ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';

const ROLE = 'arn:aws:sts::123456789012:assumed-role/relabel-config-watcher/task';

/**
 * A small in-memory SSM + SQS behind aws-sdk-client-mock, answering in the documented shapes:
 * GetParametersByPath pages of at most MaxResults (NextToken), GetParameterHistory oldest first,
 * PutParameter refusing an existing name without Overwrite (ParameterAlreadyExists), and every change
 * sent to the queue as an EventBridge "Parameter Store Change" event, as the rule in the template does.
 */
export function fakeSsm() {
  const params = new Map<string, ParameterHistory[]>();
  const queue: Message[] = [];
  let clock = Date.parse('2026-01-01T00:00:00Z');
  let receipts = 0;
  const ssm = new SSMClient({ region: 'eu-west-1' });
  const sqs = new SQSClient({ region: 'eu-west-1' });
  const ssmMock = mockClient(ssm);
  const sqsMock = mockClient(sqs);

  const event = (name: string, operation: string) =>
    queue.push({
      MessageId: `m${++receipts}`,
      ReceiptHandle: `r${receipts}`,
      Body: JSON.stringify({
        version: '0',
        id: `e${receipts}`,
        'detail-type': 'Parameter Store Change',
        source: 'aws.ssm',
        account: '123456789012',
        time: new Date(clock).toISOString(),
        region: 'eu-west-1',
        resources: [`arn:aws:ssm:eu-west-1:123456789012:parameter${name}`],
        detail: { name, type: 'String', operation },
      }),
    });

  const write = (name: string, value: string, user: string, description?: string) => {
    const versions = params.get(name) ?? [];
    const last = versions[versions.length - 1];
    versions.push({ Name: name, Type: 'String', Value: value, Version: (last?.Version ?? 0) + 1, LastModifiedDate: new Date(++clock), LastModifiedUser: user, Description: description ?? last?.Description });
    params.set(name, versions);
    event(name, last ? 'Update' : 'Create');
    return versions[versions.length - 1]!.Version!;
  };

  ssmMock.on(GetParametersByPathCommand).callsFake(async (input) => {
    const path = input.Path === '/' ? '/' : `${input.Path}/`;
    const names = [...params.keys()].filter((n) => n.startsWith(path) && (input.Recursive || !n.slice(path.length).includes('/'))).sort();
    const start = input.NextToken ? Number(input.NextToken) : 0;
    const size = Math.min(input.MaxResults ?? 10, 10);
    const page = names.slice(start, start + size).map((n) => {
      const { Description: _d, LastModifiedUser: _u, ...latest } = params.get(n)!.at(-1)!;
      return { ...latest, ARN: `arn:aws:ssm:eu-west-1:123456789012:parameter${n}`, DataType: 'text' };
    });
    return { Parameters: page, NextToken: start + size < names.length ? String(start + size) : undefined };
  });
  ssmMock.on(PutParameterCommand).callsFake(async (input) => {
    if (params.has(input.Name!) && !input.Overwrite) throw Object.assign(new Error('exists'), { name: 'ParameterAlreadyExists' });
    return { Version: write(input.Name!, input.Value!, ROLE, input.Description), Tier: 'Standard' };
  });
  ssmMock.on(GetParameterHistoryCommand).callsFake(async (input) => {
    const versions = params.get(input.Name!);
    if (!versions) throw Object.assign(new Error('not found'), { name: 'ParameterNotFound' });
    const start = input.NextToken ? Number(input.NextToken) : 0;
    const size = Math.min(input.MaxResults ?? 50, 50);
    return { Parameters: versions.slice(start, start + size), NextToken: start + size < versions.length ? String(start + size) : undefined };
  });
  sqsMock.on(ReceiveMessageCommand).callsFake(async (input) => {
    // a short stand-in for the long poll
    for (let i = 0; i < 5 && queue.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    return { Messages: queue.splice(0, input.MaxNumberOfMessages ?? 1) };
  });
  sqsMock.on(DeleteMessageCommand).resolves({});

  return {
    ssm,
    sqs,
    ssmMock,
    sqsMock,
    queue,
    /** a write made in the console/CLI by someone else: keeps the old description, like SSM does */
    writeAround: (name: string, value: string) => void write(name, value, 'arn:aws:iam::123456789012:user/operator'),
    seed: (name: string, value: string) => void write(name, value, ROLE),
    reset: () => {
      ssmMock.restore();
      sqsMock.restore();
    },
  };
}
