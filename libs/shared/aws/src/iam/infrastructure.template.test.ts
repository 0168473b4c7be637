import { allows, evaluate, loadTemplate, roleStatements, type Bindings } from './cloudformation.test-support';

const template = loadTemplate();
const resource = (name: string) => {
  const r = template.Resources[name];
  if (!r) throw new Error(`the template has no ${name}`);
  return r;
};
const props = (name: string) => resource(name).Properties as Record<string, unknown>;
const bindings: Bindings = {
  'AWS::Partition': 'aws',
  'AWS::Region': 'eu-west-1',
  'AWS::AccountId': '123456789012',
  'AWS::StackName': 'relabel',
  ParameterPath: '/relabel',
  ReviewName: 'relabel-review',
  Bucket: 'relabel-bucket',
  'Bucket.Arn': 'arn:aws:s3:::relabel-bucket',
  AdminTokenSecret: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:admin-1',
  ReviewerTokenSecret: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:reviewer-1',
  'A2IFlowRole.Arn': 'arn:aws:iam::123456789012:role/relabel-A2IFlowRole-1',
};

describe('docker/infrastructure.yaml', () => {
  it('gives Redis a parameter group with maxmemory-policy noeviction, of the family of its engine version', () => {
    const redis = props('Redis');
    expect(redis['CacheParameterGroupName']).toEqual({ Ref: 'RedisParameters' });
    const group = props('RedisParameters');
    expect(resource('RedisParameters').Type).toBe('AWS::ElastiCache::ParameterGroup');
    expect(group['Properties']).toEqual({ 'maxmemory-policy': 'noeviction' });
    expect(group['CacheParameterGroupFamily']).toBe(`redis${String(redis['EngineVersion']).split('.')[0]}`);
  });

  it('creates what the task definitions reference: an execution role that may read both token secrets, the log group', () => {
    const execution = props('ExecutionRole') as { ManagedPolicyArns: unknown[] };
    expect(evaluate(execution.ManagedPolicyArns, bindings)).toEqual(['arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy']);
    const statements = roleStatements(template, 'ExecutionRole', bindings);
    for (const secret of ['AdminTokenSecret', 'ReviewerTokenSecret']) {
      expect(resource(secret).Type).toBe('AWS::SecretsManager::Secret');
      expect(allows(statements, 'secretsmanager:GetSecretValue', bindings[secret]!)).toBe(true);
    }
    expect(resource('LogGroup').Type).toBe('AWS::Logs::LogGroup');
    expect(template.Outputs!['ExecutionRoleArn']!.Value).toEqual({ 'Fn::GetAtt': ['ExecutionRole', 'Arn'] });
    expect(template.Outputs!['LogGroupName']!.Value).toEqual({ Ref: 'LogGroup' });
    // RELABEL_PARAMETER_PATH comes from the stack's own path, with the trailing slash the services expect
    expect(evaluate(template.Outputs!['ParameterPath']!.Value, bindings)).toBe('/relabel/');
  });

  it('creates the Rekognition project and the A2I review: worker template, flow definition writing where the labeler reads', () => {
    expect(resource('RekognitionProject').Type).toBe('AWS::Rekognition::Project');
    expect(template.Outputs!['RekognitionProjectArn']!.Value).toEqual({ 'Fn::GetAtt': ['RekognitionProject', 'Arn'] });
    const flow = evaluate(props('FlowDefinition'), { ...bindings, 'FlowDefinitionFunction.Arn': 'fn', WorkteamArn: 'team', ReviewersPerImage: '1' }) as Record<string, string>;
    // the labeler reads humanAnswers[].answerContent["crowd-image-classifier"].label; the adapter sends taskObject, guess, categories
    expect(flow['UiTemplate']).toContain('name="crowd-image-classifier"');
    expect(flow['UiTemplate']).toMatch(/task\.input\.taskObject \| grant_read_access/);
    expect(flow['UiTemplate']).toContain('task.input.categories');
    expect(flow['S3OutputPath']).toBe('s3://relabel-bucket/a2i-human-loop-data');
    expect(Number(flow['TaskAvailabilityLifetimeInSeconds'])).toBeLessThanOrEqual(30 * 86400);
    const a2i = roleStatements(template, 'A2IFlowRole', bindings);
    expect(allows(a2i, 's3:PutObject', 'arn:aws:s3:::relabel-bucket/a2i-human-loop-data/relabel-review-x/2026/01/01/00/00/00/loop/output.json')).toBe(true);
    expect(allows(a2i, 's3:GetObject', 'arn:aws:s3:::relabel-bucket/images_for_detection/a.jpg')).toBe(true);
    expect(template.Outputs!['FlowDefinitionArn']!.Value).toEqual({ 'Fn::GetAtt': ['FlowDefinition', 'Arn'] });
  });
});
