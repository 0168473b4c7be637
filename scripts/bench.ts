/**
 * `npm run bench [name…]`: runs the benchmark scripts in scripts/bench/ one after another, each in its
 * own process (so one's memory does not colour the next's numbers), and prints what they measure.
 * With names (e.g. `npm run bench -- detect model`) only those run; flags (e.g. `--quick`) are passed
 * on to each benchmark.
 */
import { spawnSync } from 'child_process';
import { readdirSync } from 'fs';
import path from 'path';

const dir = path.join(__dirname, 'bench');
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const flags = process.argv.slice(2).filter((a) => a.startsWith('--'));
const all = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .map((f) => f.replace(/\.bench\.ts$/, ''))
  .sort();
const chosen = wanted.length ? all.filter((name) => wanted.includes(name)) : all;
const unknown = wanted.filter((w) => !all.includes(w));
if (unknown.length) {
  process.stderr.write(`unknown benchmark(s): ${unknown.join(', ')}; available: ${all.join(', ')}\n`);
  process.exit(2);
}

let failed = 0;
for (const name of chosen) {
  process.stdout.write(`\n=== bench: ${name} ===\n`);
  const started = Date.now();
  const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(dir, `${name}.bench.ts`), ...flags], { stdio: 'inherit', env: process.env });
  process.stdout.write(`=== ${name}: ${result.status === 0 ? 'done' : `FAILED (exit ${result.status})`} in ${((Date.now() - started) / 1000).toFixed(1)} s ===\n`);
  if (result.status !== 0) failed += 1;
}
process.exit(failed ? 1 : 0);
