import {
  DescribeHumanLoopCommand,
  ListHumanLoopsCommand,
  SageMakerA2IRuntimeClient,
  StartHumanLoopCommand,
} from '@aws-sdk/client-sagemaker-a2i-runtime';
import { humanLoopOutputKey } from '@relabel/contracts';
import { mockClient } from 'aws-sdk-client-mock';

const sdkError = (name: string, message: string, status = 400) => Object.assign(new Error(message), { name, $fault: 'client', $metadata: { httpStatusCode: status } });

interface FakeLoop {
  name: string;
  flow: string;
  input: string;
  status: 'InProgress' | 'Completed' | 'Failed' | 'Stopped';
  created: Date;
  failureReason?: string;
  outputUri?: string;
}

/**
 * An in-memory A2I runtime behind aws-sdk-client-mock, in the documented shapes: a same-name start
 * with other input → ConflictException (same input → the same ARN), DescribeHumanLoop of an unknown
 * name → ResourceNotFoundException, ListHumanLoops per flow, CreationTimeAfter, sort order and
 * NextToken pages. `complete` plays the reviewers: it writes output.json through `writeOutput`.
 * StartHumanLoop has no ResourceNotFoundException: a flow definition outside `flowDefinitionArns`
 * (when given) is refused with a ValidationException, as A2I does.
 */
export function fakeA2i(opts: { bucket: string; writeOutput?: (key: string, body: Buffer) => Promise<void>; flowDefinitionArns?: string[] }) {
  const loops = new Map<string, FakeLoop>();
  const client = new SageMakerA2IRuntimeClient({ region: 'eu-west-1' });
  const mock = mockClient(client);
  let clock = Date.now() - 60_000;
  const arn = (name: string) => `arn:aws:sagemaker:eu-west-1:123456789012:human-loop/${name}`;

  mock.on(StartHumanLoopCommand).callsFake(async (input) => {
    if (opts.flowDefinitionArns && !opts.flowDefinitionArns.includes(input.FlowDefinitionArn!)) {
      throw sdkError('ValidationException', `Flow definition ${input.FlowDefinitionArn} does not exist or is not active`);
    }
    const existing = loops.get(input.HumanLoopName!);
    if (existing && existing.input !== input.HumanLoopInput!.InputContent) throw sdkError('ConflictException', 'same name, different input', 409);
    if (!existing) {
      loops.set(input.HumanLoopName!, { name: input.HumanLoopName!, flow: input.FlowDefinitionArn!, input: input.HumanLoopInput!.InputContent!, status: 'InProgress', created: new Date((clock += 1000)) });
    }
    return { HumanLoopArn: arn(input.HumanLoopName!) };
  });
  mock.on(DescribeHumanLoopCommand).callsFake(async (input) => {
    const loop = loops.get(input.HumanLoopName!);
    if (!loop) throw sdkError('ResourceNotFoundException', `human loop ${input.HumanLoopName} not found`, 404);
    return {
      HumanLoopName: loop.name,
      HumanLoopArn: arn(loop.name),
      HumanLoopStatus: loop.status,
      CreationTime: loop.created,
      FlowDefinitionArn: loop.flow,
      FailureReason: loop.failureReason,
      HumanLoopOutput: loop.outputUri ? { OutputS3Uri: loop.outputUri } : undefined,
    };
  });
  mock.on(ListHumanLoopsCommand).callsFake(async (input) => {
    const matching = [...loops.values()]
      .filter((l) => l.flow === input.FlowDefinitionArn && (!input.CreationTimeAfter || l.created > input.CreationTimeAfter))
      .sort((a, b) => (input.SortOrder === 'Ascending' ? 1 : -1) * (a.created.getTime() - b.created.getTime()));
    const start = input.NextToken ? Number(input.NextToken) : 0;
    const size = Math.min(input.MaxResults ?? 100, 100);
    const page = matching.slice(start, start + size);
    return {
      HumanLoopSummaries: page.map((l) => ({ HumanLoopName: l.name, HumanLoopStatus: l.status, CreationTime: l.created, FailureReason: l.failureReason, FlowDefinitionArn: l.flow })),
      NextToken: start + size < matching.length ? String(start + size) : undefined,
    };
  });

  return {
    client,
    mock,
    loops,
    async complete(name: string, labels: string[]) {
      const loop = loops.get(name)!;
      const key = humanLoopOutputKey(loop.flow.split('/').pop()!, name, new Date(clock));
      const output = {
        flowDefinitionArn: loop.flow,
        humanLoopName: name,
        inputContent: JSON.parse(loop.input),
        humanAnswers: labels.map((label, i) => ({
          answerContent: { 'crowd-image-classifier': { label } },
          submissionTime: new Date(clock + i * 1000).toISOString(),
          workerId: `w${i}`,
        })),
      };
      await opts.writeOutput?.(key, Buffer.from(JSON.stringify(output)));
      Object.assign(loop, { status: 'Completed', outputUri: `s3://${opts.bucket}/${key}` });
    },
    fail(name: string, reason: string) {
      Object.assign(loops.get(name)!, { status: 'Failed', failureReason: reason });
    },
  };
}
