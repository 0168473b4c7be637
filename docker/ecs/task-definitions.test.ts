import { readdirSync, readFileSync } from 'fs';
import path from 'path';
import { parse } from 'yaml';
import { DEPLOYER_PLACEHOLDERS, fileNameOf, fillTaskDefinition, placeholderOf, placeholdersIn, renderTaskDefinition, SERVICES } from './task-definitions';

// only the output names matter here, so CloudFormation's tags are left unresolved (and unreported)
const template = parse(readFileSync(path.join(__dirname, '..', 'infrastructure.yaml'), 'utf8'), { logLevel: 'silent' }) as { Outputs: Record<string, unknown> };
const outputNames = Object.keys(template.Outputs);

describe('the ECS task definitions', () => {
  it.each(SERVICES.map((s) => [s.name, s]))('%s on disk is what task-definitions.ts generates (node --import tsx docker/ecs/generate.ts)', (_, service) => {
    expect(readFileSync(path.join(__dirname, fileNameOf(service)), 'utf8')).toBe(renderTaskDefinition(service));
  });

  it('are exactly the four services', () => {
    expect(readdirSync(__dirname).filter((f) => f.endsWith('.task-definition.json')).sort()).toEqual(SERVICES.map(fileNameOf).sort());
  });

  it('use only placeholders that the stack outputs (or the deployer) fill', () => {
    const filled = new Set([...outputNames.map(placeholderOf), ...DEPLOYER_PLACEHOLDERS]);
    const used = [...new Set(SERVICES.flatMap((s) => placeholdersIn(renderTaskDefinition(s))))];
    expect(used.filter((p) => !filled.has(p))).toEqual([]);
    expect(used).toEqual(expect.arrayContaining(['EXECUTION_ROLE_ARN', 'TASK_ROLE_ARN', 'PARAMETER_PATH', 'LOG_GROUP_NAME', 'ADMIN_TOKEN_SECRET_ARN']));
  });

  it('fill in from describe-stacks outputs, and name a missing output instead of leaving its placeholder', () => {
    const outputs = outputNames.map((OutputKey) => ({ OutputKey, OutputValue: OutputKey === 'ParameterPath' ? '/team "a"/relabel/' : `value-of-${OutputKey}` }));
    const def = JSON.parse(fillTaskDefinition(renderTaskDefinition(SERVICES[1]), outputs, 'registry/relabel:1')) as {
      taskRoleArn: string;
      containerDefinitions: Array<{ image: string; environment: Array<{ name: string; value: string }>; logConfiguration: { options: Record<string, string> } }>;
    };
    const [container] = def.containerDefinitions;
    expect(def.taskRoleArn).toBe('value-of-TaskRoleArn');
    expect(container!.image).toBe('registry/relabel:1');
    expect(container!.environment).toContainEqual({ name: 'RELABEL_PARAMETER_PATH', value: '/team "a"/relabel/' });
    expect(container!.logConfiguration.options).toEqual({ 'awslogs-group': 'value-of-LogGroupName', 'awslogs-region': 'value-of-AwsRegion', 'awslogs-stream-prefix': 'trainer' });
    expect(() => fillTaskDefinition(renderTaskDefinition(SERVICES[0]), outputs.filter((o) => o.OutputKey !== 'RedisUrl'), 'img')).toThrow('${REDIS_URL}');
  });
});
