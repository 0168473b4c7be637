import { evaluate, loadTemplate } from './cloudformation.test-support';

/**
 * The custom resource's inline Lambda (docker/infrastructure.yaml, FlowDefinitionFunction) run as
 * Lambda would run it, with the SageMaker SDK and the CloudFormation response URL replaced by
 * recorders: what it asks SageMaker for and what it answers CloudFormation.
 */
const template = loadTemplate();
const code = String((template.Resources['FlowDefinitionFunction']!.Properties!['Code'] as { ZipFile: string }).ZipFile);
const properties = evaluate(template.Resources['FlowDefinition']!.Properties, {
  'FlowDefinitionFunction.Arn': 'arn:aws:lambda:eu-west-1:123456789012:function:flow',
  ReviewName: 'relabel-review',
  'A2IFlowRole.Arn': 'arn:aws:iam::123456789012:role/a2i',
  WorkteamArn: 'arn:aws:sagemaker:eu-west-1:123456789012:workteam/private-crowd/reviewers',
  Bucket: 'relabel-bucket',
  ReviewersPerImage: '2',
}) as Record<string, unknown>;
// CloudFormation hands every property to the function as a string
const resourceProperties = Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, String(v)]));

type Call = [string, Record<string, unknown>];

function handlerWith(answer: (command: string, input: Record<string, unknown>) => unknown) {
  const calls: Call[] = [];
  const responses: Array<Record<string, unknown>> = [];
  const commands = ['CreateHumanTaskUiCommand', 'CreateFlowDefinitionCommand', 'DeleteFlowDefinitionCommand', 'DeleteHumanTaskUiCommand'];
  const sdk: Record<string, unknown> = {
    SageMakerClient: class {
      async send(command: { name: string; input: Record<string, unknown> }) {
        calls.push([command.name, command.input]);
        return answer(command.name, command.input);
      }
    },
  };
  for (const name of commands) sdk[name] = class { name = name; constructor(public input: Record<string, unknown>) {} };
  const require = (id: string) => {
    if (id !== '@aws-sdk/client-sagemaker') throw new Error(`the function requires ${id}`);
    return sdk;
  };
  const fetch = async (url: string, init: { method: string; body: string }) => {
    expect([url, init.method]).toEqual(['https://cloudformation-response.example/put', 'PUT']);
    responses.push(JSON.parse(init.body) as Record<string, unknown>);
    return { ok: true };
  };
  const module = { exports: {} as { handler(event: unknown): Promise<void> } };
  const quiet = { warn: () => undefined, log: () => undefined };
  new Function('require', 'exports', 'module', 'console', 'fetch', code)(require, module.exports, module, quiet, fetch);
  return { handler: module.exports.handler, calls, responses };
}

const event = (RequestType: string, PhysicalResourceId?: string) => ({
  RequestType,
  PhysicalResourceId,
  ResponseURL: 'https://cloudformation-response.example/put',
  StackId: 'stack',
  RequestId: 'req',
  LogicalResourceId: 'FlowDefinition',
  ResourceProperties: resourceProperties,
});
const sdkError = (name: string) => Object.assign(new Error(`${name} happened`), { name });

describe('the flow definition custom resource', () => {
  it('creates the worker template, then the flow definition on it, and answers the flow ARN', async () => {
    const fx = handlerWith((command, input) =>
      command === 'CreateHumanTaskUiCommand'
        ? { HumanTaskUiArn: `arn:aws:sagemaker:eu-west-1:123456789012:human-task-ui/${String(input['HumanTaskUiName'])}` }
        : { FlowDefinitionArn: `arn:aws:sagemaker:eu-west-1:123456789012:flow-definition/${String(input['FlowDefinitionName'])}` },
    );
    await fx.handler(event('Create'));
    const [[uiCommand, ui], [flowCommand, flow]] = fx.calls as [Call, Call];
    expect([uiCommand, flowCommand]).toEqual(['CreateHumanTaskUiCommand', 'CreateFlowDefinitionCommand']);
    const name = String(ui['HumanTaskUiName']);
    expect(name).toMatch(/^relabel-review-[a-z0-9]+$/);
    expect(name.length).toBeLessThanOrEqual(63);
    expect(ui['UiTemplate']).toEqual({ Content: resourceProperties['UiTemplate'] });
    expect(flow).toEqual({
      FlowDefinitionName: name,
      RoleArn: 'arn:aws:iam::123456789012:role/a2i',
      OutputConfig: { S3OutputPath: 's3://relabel-bucket/a2i-human-loop-data' },
      HumanLoopConfig: expect.objectContaining({
        WorkteamArn: 'arn:aws:sagemaker:eu-west-1:123456789012:workteam/private-crowd/reviewers',
        HumanTaskUiArn: `arn:aws:sagemaker:eu-west-1:123456789012:human-task-ui/${name}`,
        TaskCount: 2,
        TaskAvailabilityLifetimeInSeconds: 864000,
      }),
    });
    const flowArn = `arn:aws:sagemaker:eu-west-1:123456789012:flow-definition/${name}`;
    expect(fx.responses).toEqual([expect.objectContaining({ Status: 'SUCCESS', PhysicalResourceId: flowArn, Data: expect.objectContaining({ Arn: flowArn }) })]);
  });

  it('deletes both by the name in its physical id, a flow already gone included', async () => {
    const fx = handlerWith((command) => {
      if (command === 'DeleteFlowDefinitionCommand') throw sdkError('ResourceNotFound');
      return {};
    });
    await fx.handler(event('Delete', 'arn:aws:sagemaker:eu-west-1:123456789012:flow-definition/relabel-review-abc'));
    expect(fx.calls).toEqual([
      ['DeleteFlowDefinitionCommand', { FlowDefinitionName: 'relabel-review-abc' }],
      ['DeleteHumanTaskUiCommand', { HumanTaskUiName: 'relabel-review-abc' }],
    ]);
    expect(fx.responses[0]).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'arn:aws:sagemaker:eu-west-1:123456789012:flow-definition/relabel-review-abc' });
  });

  it('answers FAILED with the reason when SageMaker refuses, leaving no template behind and nothing to delete on rollback', async () => {
    const fx = handlerWith((command) => {
      if (command === 'CreateFlowDefinitionCommand') throw sdkError('ValidationException');
      return { HumanTaskUiArn: 'arn:aws:sagemaker:eu-west-1:123456789012:human-task-ui/x' };
    });
    await fx.handler(event('Create'));
    expect(fx.responses[0]).toMatchObject({ Status: 'FAILED', Reason: 'ValidationException: ValidationException happened', PhysicalResourceId: 'FlowDefinition' });
    expect(fx.calls.map(([c]) => c)).toEqual(['CreateHumanTaskUiCommand', 'CreateFlowDefinitionCommand', 'DeleteHumanTaskUiCommand']);
    await fx.handler(event('Delete', 'FlowDefinition'));
    expect(fx.calls).toHaveLength(3);
    expect(fx.responses[1]).toMatchObject({ Status: 'SUCCESS' });
  });
});
