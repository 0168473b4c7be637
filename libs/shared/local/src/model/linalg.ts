import { onnx } from 'onnx-proto';
import * as ort from 'onnxruntime-node';

/**
 * The few dense linear-algebra pieces the closed-form head needs. The one big product (the Gram
 * matrix of all training vectors, N²·D multiply-adds) runs in onnxruntime's multi-threaded MatMul;
 * the N×N Cholesky factorisation and solves stay in JS (N ≤ a few thousand rows).
 */
function gramGraph(): Uint8Array {
  const F = onnx.TensorProto.DataType.FLOAT;
  const io = (name: string, dims: string[]): onnx.IValueInfoProto => ({ name, type: { tensorType: { elemType: F, shape: { dim: dims.map((d) => ({ dimParam: d })) } } } });
  const model: onnx.IModelProto = {
    irVersion: 7,
    producerName: 'relabel-gram',
    opsetImport: [{ domain: '', version: 13 }],
    graph: {
      name: 'gram',
      node: [{ opType: 'Gemm', input: ['A', 'B'], output: ['G'], attribute: [{ name: 'transB', type: onnx.AttributeProto.AttributeType.INT, i: 1 }] }],
      input: [io('A', ['N', 'D']), io('B', ['M', 'D'])],
      output: [io('G', ['N', 'M'])],
    },
  };
  return onnx.ModelProto.encode(onnx.ModelProto.create(model)).finish();
}

let session: Promise<ort.InferenceSession> | undefined;

/** Row-major N×N matrix of inner products of `rows` (all of one length), in float64. */
export async function gramMatrix(rows: readonly Float32Array[]): Promise<Float64Array> {
  const n = rows.length;
  const d = rows[0]?.length ?? 0;
  if (n === 0) return new Float64Array(0);
  session ??= ort.InferenceSession.create(gramGraph(), { intraOpNumThreads: 2, interOpNumThreads: 1, executionMode: 'sequential' });
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

export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}
