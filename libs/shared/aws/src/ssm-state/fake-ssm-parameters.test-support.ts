import { GetParameterCommand, GetParametersByPathCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';

export const named = (name: string, status = 400) => Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });

/** SSM behind aws-sdk-client-mock: a map of parameters, answering in the documented shapes. */
export function fakeSsmParameters() {
  const params = new Map<string, string>();
  const client = new SSMClient({ region: 'eu-west-1' });
  const mock = mockClient(client);
  mock.on(GetParameterCommand).callsFake(async (input) => {
    if (!params.has(input.Name!)) throw named('ParameterNotFound');
    return { Parameter: { Name: input.Name, Type: 'String', Value: params.get(input.Name!), Version: 1 } };
  });
  mock.on(GetParametersByPathCommand).callsFake(async (input) => {
    const names = [...params.keys()].filter((n) => n.startsWith(`${input.Path}/`) && !n.slice(input.Path!.length + 1).includes('/')).sort();
    const start = Number(input.NextToken ?? 0);
    const size = Math.min(input.MaxResults ?? 10, 10);
    return {
      Parameters: names.slice(start, start + size).map((n) => ({ Name: n, Type: 'String', Value: params.get(n) })),
      NextToken: start + size < names.length ? String(start + size) : undefined,
    };
  });
  // as SSM does: without a Tier the account default (Standard) applies, which cannot hold over 4 KB
  // and cannot downgrade a parameter once promoted to Advanced; Intelligent-Tiering picks for itself
  const tiers = new Map<string, 'Standard' | 'Advanced'>();
  mock.on(PutParameterCommand).callsFake(async (input) => {
    if (params.has(input.Name!) && !input.Overwrite) throw named('ParameterAlreadyExists');
    const big = Buffer.byteLength(input.Value!) > 4096;
    const was = tiers.get(input.Name!);
    let tier: 'Standard' | 'Advanced';
    if (input.Tier === 'Intelligent-Tiering') tier = big || was === 'Advanced' ? 'Advanced' : 'Standard';
    else tier = input.Tier === 'Advanced' ? 'Advanced' : 'Standard';
    if (tier === 'Standard' && (big || was === 'Advanced')) throw named('ValidationException');
    tiers.set(input.Name!, tier);
    params.set(input.Name!, input.Value!);
    return { Version: 1, Tier: tier };
  });
  return { client, mock, params };
}
