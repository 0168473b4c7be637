import { mkdirSync, readFileSync, writeFileSync } from 'fs';
import path from 'path';
import { parseArgs } from 'util';
import { fileNameOf, fillTaskDefinition, renderTaskDefinition, SERVICES } from './task-definitions';

/**
 * Without options: (re)writes docker/ecs/<service>.task-definition.json from task-definitions.ts.
 * With `--outputs <describe-stacks outputs JSON> --image <uri> --out <dir>`: writes them filled in,
 * ready for `aws ecs register-task-definition --cli-input-json file://<dir>/<service>.task-definition.json`.
 */
const { values } = parseArgs({ options: { outputs: { type: 'string' }, image: { type: 'string' }, out: { type: 'string' } } });
if (values.outputs && (!values.image || !values.out)) throw new Error('--outputs needs --image <uri> and --out <dir>');
const outDir = values.out ?? __dirname;
mkdirSync(outDir, { recursive: true });
const outputs = values.outputs ? (JSON.parse(readFileSync(values.outputs, 'utf8')) as Array<{ OutputKey: string; OutputValue: string }>) : null;
for (const service of SERVICES) {
  const text = renderTaskDefinition(service);
  const file = path.join(outDir, fileNameOf(service));
  writeFileSync(file, outputs ? fillTaskDefinition(text, outputs, values.image!) : text);
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
}
