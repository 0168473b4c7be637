import { onnx } from 'onnx-proto';
import * as ort from 'onnxruntime-node';

/**
 * The few dense linear-algebra pieces the closed-form head needs. The big products run in
 * onnxruntime's multi-threaded Gemm: the Gram matrix of all training vectors (N²·D multiply-adds)
 * and the bulk of each N×N Cholesky factorisation (N³/3); the solves stay in JS.
 */
function gemmGraph(name: string, type: onnx.TensorProto.DataType, subtractFromC: boolean): Uint8Array {
  const io = (input: string, dims: string[]): onnx.IValueInfoProto => ({ name: input, type: { tensorType: { elemType: type, shape: { dim: dims.map((d) => ({ dimParam: d })) } } } });
  const { INT, FLOAT } = onnx.AttributeProto.AttributeType;
  const model: onnx.IModelProto = {
    irVersion: 7,
    producerName: `relabel-${name}`,
    opsetImport: [{ domain: '', version: 13 }],
    graph: {
      name,
      // A·Bᵀ, or C − A·Bᵀ.
      node: [
        {
          opType: 'Gemm',
          input: subtractFromC ? ['A', 'B', 'C'] : ['A', 'B'],
          output: ['G'],
          attribute: [{ name: 'transB', type: INT, i: 1 }, ...(subtractFromC ? [{ name: 'alpha', type: FLOAT, f: -1 }] : [])],
        },
      ],
      input: [io('A', ['N', 'D']), io('B', ['M', 'D']), ...(subtractFromC ? [io('C', ['N', 'M'])] : [])],
      output: [io('G', ['N', 'M'])],
    },
  };
  return onnx.ModelProto.encode(onnx.ModelProto.create(model)).finish();
}

const sessionOptions: ort.InferenceSession.SessionOptions = { intraOpNumThreads: 2, interOpNumThreads: 1, executionMode: 'sequential' };
let session: Promise<ort.InferenceSession> | undefined;
let updateSession: Promise<ort.InferenceSession> | undefined;

/** Row-major N×N matrix of inner products of `rows` (all of one length), in float64. */
export async function gramMatrix(rows: readonly Float32Array[]): Promise<Float64Array> {
  const n = rows.length;
  const d = rows[0]?.length ?? 0;
  if (n === 0) return new Float64Array(0);
  session ??= ort.InferenceSession.create(gemmGraph('gram', onnx.TensorProto.DataType.FLOAT, false), sessionOptions);
  const a = new Float32Array(n * d);
  rows.forEach((r, i) => a.set(r, i * d));
  const t = new ort.Tensor('float32', a, [n, d]);
  const out = await (await session).run({ A: t, B: t });
  const g = out.G!.data as Float32Array;
  const result = Float64Array.from(g);
  // Exact symmetry (the factorisation below reads the lower triangle only, solves use both).
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) result[j * n + i] = result[i * n + j]!;
  return result;
}

/** In-place lower Cholesky factor of a symmetric positive-definite n×n matrix. */
export function cholesky(a: Float64Array, n: number): Float64Array {
  for (let j = 0; j < n; j++) {
    const rj = j * n;
    let s = a[rj + j]!;
    for (let k = 0; k < j; k++) s -= a[rj + k]! * a[rj + k]!;
    const diag = Math.sqrt(Math.max(s, 1e-12));
    a[rj + j] = diag;
    for (let i = j + 1; i < n; i++) {
      const ri = i * n;
      let t = a[ri + j]!;
      for (let k = 0; k < j; k++) t -= a[ri + k]! * a[rj + k]!;
      a[ri + j] = t / diag;
    }
  }
  return a;
}

/** `trailing` (rows × rows) minus `panel`·`panel`ᵀ (panel: rows × width), row-major; only its lower triangle is read. */
export type TrailingUpdate = (panel: Float64Array, rows: number, width: number, trailing: Float64Array) => Promise<Float64Array>;

/** The trailing update in onnxruntime's float64 Gemm (2 threads). */
export const onnxTrailingUpdate: TrailingUpdate = async (panel, rows, width, trailing) => {
  updateSession ??= ort.InferenceSession.create(gemmGraph('cholesky-update', onnx.TensorProto.DataType.DOUBLE, true), sessionOptions);
  const p = new ort.Tensor('float64', panel, [rows, width]);
  const out = await (await updateSession).run({ A: p, B: p, C: new ort.Tensor('float64', trailing, [rows, rows]) });
  return out.G!.data as Float64Array;
};

/**
 * From this size on, choleskyFactor works in blocks whose updates run in onnxruntime: at 816 and
 * 1,020 rows (cross-validation folds and the head of a 1,000-image training) that took 45 and 81 ms
 * instead of 106 and 204; below, the calls' overhead outweighs it.
 */
export const BLOCKED_FROM = 256;
const BLOCK = 64;

/**
 * The lower Cholesky factor of `cholesky`, in place, by blocks of columns: each block is factored in
 * JS (its columns and the rows below them), and what it takes from the rest of the matrix, the
 * O(n³) part, is one `update` per block. Same factor as `cholesky` up to rounding.
 */
export async function choleskyFactor(a: Float64Array, n: number, update: TrailingUpdate = onnxTrailingUpdate): Promise<Float64Array> {
  if (n < BLOCKED_FROM) return cholesky(a, n);
  for (let k0 = 0; k0 < n; k0 += BLOCK) {
    const b = Math.min(BLOCK, n - k0);
    // Earlier blocks are already subtracted: only this block's own columns remain.
    for (let j = k0; j < k0 + b; j++) {
      const rj = j * n;
      let s = a[rj + j]!;
      for (let k = k0; k < j; k++) s -= a[rj + k]! * a[rj + k]!;
      const diag = Math.sqrt(Math.max(s, 1e-12));
      a[rj + j] = diag;
      for (let i = j + 1; i < n; i++) {
        const ri = i * n;
        let t = a[ri + j]!;
        for (let k = k0; k < j; k++) t -= a[ri + k]! * a[rj + k]!;
        a[ri + j] = t / diag;
      }
    }
    const rows = n - k0 - b;
    if (rows === 0) break;
    const panel = new Float64Array(rows * b);
    const trailing = new Float64Array(rows * rows);
    for (let i = 0; i < rows; i++) {
      const ri = (k0 + b + i) * n;
      panel.set(a.subarray(ri + k0, ri + k0 + b), i * b);
      trailing.set(a.subarray(ri + k0 + b, ri + n), i * rows);
    }
    const updated = await update(panel, rows, b, trailing);
    for (let i = 0; i < rows; i++) a.set(updated.subarray(i * rows, i * rows + i + 1), (k0 + b + i) * n + k0 + b);
  }
  return a;
}

/** Solves (L·Lᵀ)·x = b for the factor of `cholesky`. */
export function choleskySolve(l: Float64Array, n: number, b: ArrayLike<number>): Float64Array {
  const y = Float64Array.from(b);
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    let s = y[i]!;
    for (let k = 0; k < i; k++) s -= l[ri + k]! * y[k]!;
    y[i] = s / l[ri + i]!;
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i]!;
    for (let k = i + 1; k < n; k++) s -= l[k * n + i]! * y[k]!;
    y[i] = s / l[i * n + i]!;
  }
  return y;
}

/**
 * `choleskySolve` for several right-hand sides at once: each value of the factor is read once for
 * all of them instead of once each (its columns are read across rows, which is what costs). Every
 * solution is summed in the same order as by `choleskySolve`, so the results are the same bits.
 */
export function choleskySolveMany(l: Float64Array, n: number, bs: readonly ArrayLike<number>[]): Float64Array[] {
  const m = bs.length;
  // y[i * m + r]: row i of every right-hand side r, side by side.
  const y = new Float64Array(n * m);
  bs.forEach((b, r) => {
    for (let i = 0; i < n; i++) y[i * m + r] = b[i]!;
  });
  const s = new Float64Array(m);
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let r = 0; r < m; r++) s[r] = y[i * m + r]!;
    for (let k = 0; k < i; k++) {
      const lik = l[ri + k]!;
      for (let r = 0; r < m; r++) s[r]! -= lik * y[k * m + r]!;
    }
    const d = l[ri + i]!;
    for (let r = 0; r < m; r++) y[i * m + r] = s[r]! / d;
  }
  for (let i = n - 1; i >= 0; i--) {
    for (let r = 0; r < m; r++) s[r] = y[i * m + r]!;
    for (let k = i + 1; k < n; k++) {
      const lki = l[k * n + i]!;
      for (let r = 0; r < m; r++) s[r]! -= lki * y[k * m + r]!;
    }
    const d = l[i * n + i]!;
    for (let r = 0; r < m; r++) y[i * m + r] = s[r]! / d;
  }
  return bs.map((_, r) => Float64Array.from({ length: n }, (_, i) => y[i * m + r]!));
}

export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}
