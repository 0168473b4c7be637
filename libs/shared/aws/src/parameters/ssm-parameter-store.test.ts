import { GetParameterHistoryCommand, GetParametersByPathCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import { DeleteMessageCommand } from '@aws-sdk/client-sqs';
import { defaultParameters, PARAMETER_NAMES } from '@relabel/contracts';
import { silentLogger } from '@relabel/ports';
import { describeParameterStoreConformance } from '@relabel/ports/testing';
import { parameterChangeName } from './ssm-change-event';
import { fakeSsm } from './ssm-fake.fixture';
import { createSsmParameterStore } from './ssm-parameter-store.adapter';

const QUEUE = 'https://sqs.eu-west-1.amazonaws.com/123456789012/relabel-parameter-events';

function make(fake = fakeSsm(), fullReadIntervalMs = 60_000) {
  for (const [name, value] of Object.entries(defaultParameters())) fake.seed(`/relabel/${name}`, String(value));
  fake.queue.splice(0);
  const store = createSsmParameterStore({ ssm: fake.ssm, sqs: fake.sqs, logger: silentLogger }, { pathPrefix: '/relabel/', eventsQueueUrl: QUEUE, fullReadIntervalMs, waitTimeSeconds: 20 });
  return { fake, store };
}

describeParameterStoreConformance('SSM (aws-sdk-client-mock)', async () => {
  const { fake, store } = make();
  return {
    store,
    writeAround: async (name, value) => {
      if (value === null) throw new Error('deletion is not exercised on the fake');
      fake.writeAround(`/relabel/${name}`, value);
    },
    cleanup: async () => {
      await store.close();
      fake.reset();
    },
  };
});

describe('SSM parameter store', () => {
  let env: ReturnType<typeof make>;
  afterEach(async () => {
    await env.store.close();
    env.fake.reset();
  });

  it('reads every page under the path, undecrypted and not recursive, with short names', async () => {
    env = make();
    for (let i = 0; i < 6; i++) env.fake.seed(`/relabel/Extra-${i}`, String(i));
    env.fake.seed('/relabel/nested/Deep', 'x');
    env.fake.seed('/other/Minimum-F1-Score', '0.1');
    const all = await env.store.getAll();
    expect(all).toHaveLength(PARAMETER_NAMES.length + 6);
    expect(all.find((p) => p.name === 'Minimum-F1-Score')).toMatchObject({ value: '0.8', version: 1 });
    const calls = env.fake.ssmMock.commandCalls(GetParametersByPathCommand);
    expect(calls).toHaveLength(2);
    expect(calls[0]!.args[0].input).toMatchObject({ Path: '/relabel', Recursive: false, WithDecryption: false });
    expect(calls[1]!.args[0].input.NextToken).toBe('10');
  });

  it('writes String parameters with Overwrite and tells its own writes from edits made around it', async () => {
    env = make();
    await env.store.put('Minimum-F1-Score', '0.85', { source: 'api:admin@10.0.0.1' });
    expect(env.fake.ssmMock.commandCalls(PutParameterCommand)[0]!.args[0].input).toMatchObject({ Name: '/relabel/Minimum-F1-Score', Value: '0.85', Type: 'String', Overwrite: true });
    env.fake.writeAround('/relabel/Minimum-F1-Score', '0.9');
    const { items } = await env.store.history({ name: 'Minimum-F1-Score' });
    expect(items.map((c) => [c.oldValue, c.newValue, c.source])).toEqual([
      ['0.85', '0.9', 'out-of-band (arn:aws:iam::123456789012:user/operator)'],
      ['0.8', '0.85', 'api:admin@10.0.0.1'],
      [null, '0.8', expect.stringMatching(/^out-of-band/)],
    ]);
    expect(env.fake.ssmMock.commandCalls(GetParameterHistoryCommand)[0]!.args[0].input).toMatchObject({ WithDecryption: false });
  });

  it('answers PARAM_STORE_UNAVAILABLE when SSM throttles', async () => {
    env = make();
    env.fake.ssmMock.on(GetParametersByPathCommand).rejects(Object.assign(new Error('slow down'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } }));
    await expect(env.store.getAll()).rejects.toMatchObject({ code: 'PARAM_STORE_UNAVAILABLE' });
  });

  it('reports a denied read as PARAM_STORE_ACCESS_DENIED naming the resource IAM checks, not as a passing outage', async () => {
    env = make();
    env.fake.ssmMock.on(GetParametersByPathCommand).rejects(Object.assign(new Error('not authorized'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 } }));
    await expect(env.store.getAll()).rejects.toMatchObject({ code: 'PARAM_STORE_ACCESS_DENIED', retryable: false, message: expect.stringContaining('ssm:GetParametersByPath on arn:…:parameter/relabel') });
  });

  it('catches a change whose event was lost with the periodic full read', async () => {
    env = make(fakeSsm(), 50);
    const seen: string[] = [];
    const stop = await env.store.watch((names) => seen.push(...names));
    await new Promise((r) => setTimeout(r, 80));
    env.fake.writeAround('/relabel/Minimum-Inference-Units', '3');
    env.fake.queue.splice(0);
    const deadline = Date.now() + 3000;
    while (!seen.includes('Minimum-Inference-Units') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(seen).toContain('Minimum-Inference-Units');
    await stop();
  });

  it('deletes every received message, including ones it does not understand', async () => {
    env = make();
    env.fake.queue.push({ MessageId: 'x', ReceiptHandle: 'bad', Body: 'not json' });
    const stop = await env.store.watch(() => undefined);
    const deadline = Date.now() + 3000;
    while (env.fake.sqsMock.commandCalls(DeleteMessageCommand).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(env.fake.sqsMock.commandCalls(DeleteMessageCommand)[0]!.args[0].input).toMatchObject({ QueueUrl: QUEUE, ReceiptHandle: 'bad' });
    await stop();
  });
});

describe('parameterChangeName', () => {
  const event = (detail: Record<string, unknown>, source = 'aws.ssm') => JSON.stringify({ source, 'detail-type': 'Parameter Store Change', detail });

  it('reads the name from EventBridge events, direct or inside SNS, by name or ARN', () => {
    expect(parameterChangeName(event({ name: '/relabel/Minimum-F1-Score', operation: 'Update' }))).toBe('/relabel/Minimum-F1-Score');
    expect(parameterChangeName(event({ name: 'arn:aws:ssm:eu-west-1:123:parameter/relabel/X', operation: 'Create' }))).toBe('/relabel/X');
    const sns = JSON.stringify({ Type: 'Notification', Message: event({ name: '/relabel/Y', operation: 'Delete' }) });
    expect(parameterChangeName(sns)).toBe('/relabel/Y');
  });

  it('ignores anything else', () => {
    expect(parameterChangeName('not json')).toBeNull();
    expect(parameterChangeName(event({ name: '/relabel/X', operation: 'Update' }, 'aws.s3'))).toBeNull();
    expect(parameterChangeName(event({ operation: 'Update' }))).toBeNull();
    expect(parameterChangeName('null')).toBeNull();
  });
});
