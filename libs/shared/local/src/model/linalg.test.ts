import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { BLOCKED_FROM, cholesky, choleskyFactor, choleskySolve, choleskySolveMany, type TrailingUpdate } from './linalg';
import { maxLowerDifference, spdMatrix } from './testing/spd-matrix';

const run = promisify(execFile);

/** The trailing update in plain JS, so the blocking itself is checked inside jest. */
const jsUpdate: TrailingUpdate = async (panel, rows, width, trailing) => {
  const out = Float64Array.from(trailing);
  for (let i = 0; i < rows; i++)
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = 0; k < width; k++) s += panel[i * width + k]! * panel[j * width + k]!;
      out[i * rows + j]! -= s;
    }
  return out;
};

describe('Cholesky factorisation by blocks', () => {
  it('gives the plain factor, for sizes that end on a block boundary and between them', async () => {
    for (const n of [BLOCKED_FROM, BLOCKED_FROM + 37, 2 * BLOCKED_FROM + 1]) {
      const a = spdMatrix(n, n);
      const blocked = await choleskyFactor(Float64Array.from(a), n, jsUpdate);
      expect(maxLowerDifference(blocked, cholesky(Float64Array.from(a), n), n)).toBeLessThan(1e-10);
      // And it solves: L·Lᵀ·x = b for a known x.
      const x = Float64Array.from({ length: n }, (_, i) => Math.sin(i));
      const b = Float64Array.from({ length: n }, (_, i) => x.reduce((s, xj, j) => s + a[i * n + j]! * xj, 0));
      const solved = choleskySolve(blocked, n, b);
      expect(Math.max(...solved.map((v, i) => Math.abs(v - x[i]!)))).toBeLessThan(1e-8);
    }
  });

  it('solves several right-hand sides at once to the same bits as one by one', () => {
    const n = 90;
    const l = cholesky(spdMatrix(n, 5), n);
    const bs = Array.from({ length: 7 }, (_, r) => Float64Array.from({ length: n }, (_, i) => Math.cos(i * (r + 1)) * (r + 1)));
    const many = choleskySolveMany(l, n, bs);
    expect(many).toHaveLength(bs.length);
    bs.forEach((b, r) => expect(Array.from(many[r]!)).toEqual(Array.from(choleskySolve(l, n, b))));
  });

  it('factors small matrices the plain way, without the update', async () => {
    const n = BLOCKED_FROM - 1;
    const a = spdMatrix(n, 3);
    const never: TrailingUpdate = () => Promise.reject(new Error('no update below BLOCKED_FROM'));
    expect(maxLowerDifference(await choleskyFactor(Float64Array.from(a), n, never), cholesky(Float64Array.from(a), n), n)).toBe(0);
  });

  it('gives the plain factor with its updates in onnxruntime (in a process of its own)', async () => {
    const script = join(__dirname, 'testing', 'cholesky-in-onnx.ts');
    const { stdout } = await run(process.execPath, ['--import', 'tsx', script, String(BLOCKED_FROM + 70), '700'], { cwd: join(__dirname, '..', '..', '..', '..', '..') });
    const results = JSON.parse(stdout) as { n: number; difference: number }[];
    expect(results.map((r) => r.n)).toEqual([BLOCKED_FROM + 70, 700]);
    for (const r of results) expect(r.difference).toBeLessThan(1e-10);
  }, 60_000);
});
