import { cholesky, choleskyFactor } from '../linalg';
import { maxLowerDifference, spdMatrix } from './spd-matrix';

/**
 * Run as a process by linalg.test.ts: onnxruntime's tensors do not cross into jest's realm, so the
 * factorisation with its updates in onnxruntime is checked here, against the plain one.
 * Prints `{ n, difference }` for each size given.
 */
async function main() {
  const out = [];
  for (const n of process.argv.slice(2).map(Number)) {
    const a = spdMatrix(n, n);
    const blocked = await choleskyFactor(Float64Array.from(a), n);
    out.push({ n, difference: maxLowerDifference(blocked, cholesky(Float64Array.from(a), n), n) });
  }
  console.log(JSON.stringify(out));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
