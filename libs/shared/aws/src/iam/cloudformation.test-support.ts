import { readFileSync } from 'fs';
import path from 'path';
import { parse, type CollectionTag, type ScalarTag } from 'yaml';

/** docker/infrastructure.yaml, the template whose task role the adapters run under. */
export const TEMPLATE_PATH = path.join(__dirname, '..', '..', '..', '..', '..', 'docker', 'infrastructure.yaml');

/** CloudFormation's short-form tags as their long forms (`!Sub x` → `{ "Fn::Sub": x }`), scalar or sequence. */
const FUNCTIONS: Record<string, string> = {
  Ref: 'Ref', Sub: 'Fn::Sub', GetAtt: 'Fn::GetAtt', Join: 'Fn::Join', Select: 'Fn::Select', Split: 'Fn::Split',
  If: 'Fn::If', Equals: 'Fn::Equals', Not: 'Fn::Not', And: 'Fn::And', Or: 'Fn::Or', FindInMap: 'Fn::FindInMap',
  Base64: 'Fn::Base64', Cidr: 'Fn::Cidr', ImportValue: 'Fn::ImportValue', GetAZs: 'Fn::GetAZs', Condition: 'Condition',
};
const TAGS: Array<ScalarTag | CollectionTag> = Object.entries(FUNCTIONS).flatMap(([short, long]) => [
  // !GetAtt A.B is the scalar form of [A, B]
  { tag: `!${short}`, resolve: (value: string) => ({ [long]: short === 'GetAtt' ? value.split(/\.(.*)/s, 2) : value }) } as ScalarTag,
  { tag: `!${short}`, collection: 'seq', resolve: (seq) => ({ [long]: seq.toJSON() }) } as CollectionTag,
  { tag: `!${short}`, collection: 'map', resolve: (map) => ({ [long]: map.toJSON() }) } as CollectionTag,
]);

export interface Template {
  Parameters?: Record<string, { Default?: unknown }>;
  Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
  Outputs?: Record<string, { Value: unknown }>;
}

export function loadTemplate(file = TEMPLATE_PATH): Template {
  return parse(readFileSync(file, 'utf8'), { customTags: TAGS }) as Template;
}

/** What `Ref`, `Fn::GetAtt` and `${…}` in `Fn::Sub` stand for in one made-up deployment. */
export type Bindings = Record<string, string>;

/** Evaluates Ref / Fn::GetAtt / Fn::Sub (with `${Name}` and `${Resource.Attr}`) against the bindings. */
export function evaluate(value: unknown, bindings: Bindings): unknown {
  if (Array.isArray(value)) return value.map((v) => evaluate(v, bindings));
  if (!value || typeof value !== 'object') return value;
  const o = value as Record<string, unknown>;
  const lookup = (name: string) => {
    if (!(name in bindings)) throw new Error(`the test has no binding for ${name}`);
    return bindings[name]!;
  };
  if ('Ref' in o) return lookup(String(o['Ref']));
  if ('Fn::GetAtt' in o) return lookup((o['Fn::GetAtt'] as string[]).join('.'));
  if ('Fn::Sub' in o) return String(o['Fn::Sub']).replace(/\$\{([^}]+)\}/g, (_, name: string) => lookup(name));
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, evaluate(v, bindings)]));
}

interface Statement {
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource: string | string[];
}

/** IAM's wildcards: `*` any run of characters (slashes too), `?` one character; case-sensitive resources. */
function matches(pattern: string, value: string, ignoreCase = false): boolean {
  const re = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${re}$`, ignoreCase ? 'i' : '').test(value);
}

const list = (v: string | string[]) => (Array.isArray(v) ? v : [v]);

/** Whether the (already evaluated) statements allow the call; no Deny statements are used by the template. */
export function allows(statements: Statement[], action: string, resource: string): boolean {
  return statements.some(
    (s) => s.Effect === 'Allow' && list(s.Action).some((a) => matches(a, action, true)) && list(s.Resource).some((r) => matches(r, resource)),
  );
}

/** The inline policy statements of a role resource, evaluated. */
export function roleStatements(template: Template, role: string, bindings: Bindings): Statement[] {
  const props = template.Resources[role]?.Properties as { Policies?: Array<{ PolicyDocument: { Statement: Statement[] } }> } | undefined;
  if (!props?.Policies) throw new Error(`${role} has no inline policies`);
  return props.Policies.flatMap((p) => evaluate(p.PolicyDocument.Statement, bindings) as Statement[]);
}
