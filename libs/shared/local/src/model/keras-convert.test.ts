import { convertKerasToOnnx, type KerasLayer } from './keras-convert';
import { runOnnx } from './onnx-worker.fixture';
import { decodeWeights, loadBundledInception, type DecodedTensor } from './tfjs-weights';

jest.setTimeout(120_000);

/**
 * A direct NHWC evaluation of the Keras layers with Keras semantics (batch norm applied after the
 * convolution, TF "same" padding computed explicitly, average pools over valid pixels only), to
 * check the ONNX conversion (folded batch norm, OIHW kernels, NCHW layout) against.
 */
type Map3 = { h: number; w: number; c: number; v: Float32Array };

function samePad(size: number, k: number, s: number) {
  const out = Math.ceil(size / s);
  return { out, before: Math.floor(Math.max((out - 1) * s + k - size, 0) / 2) };
}
function geometry(size: number, k: number, s: number, padding: string | undefined) {
  return padding === 'same' ? samePad(size, k, s) : { out: Math.floor((size - k) / s) + 1, before: 0 };
}

function conv(x: Map3, kernel: DecodedTensor, strides: number[], padding: string | undefined): Map3 {
  const [kh, kw, cin, cout] = kernel.shape as [number, number, number, number];
  const gy = geometry(x.h, kh, strides[0]!, padding);
  const gx = geometry(x.w, kw, strides[1]!, padding);
  const v = new Float32Array(gy.out * gx.out * cout);
  for (let oy = 0; oy < gy.out; oy++)
    for (let ox = 0; ox < gx.out; ox++)
      for (let ky = 0; ky < kh; ky++)
        for (let kx = 0; kx < kw; kx++) {
          const iy = oy * strides[0]! + ky - gy.before;
          const ix = ox * strides[1]! + kx - gx.before;
          if (iy < 0 || ix < 0 || iy >= x.h || ix >= x.w) continue;
          for (let i = 0; i < cin; i++) {
            const xv = x.v[(iy * x.w + ix) * cin + i]!;
            const kBase = ((ky * kw + kx) * cin + i) * cout;
            const oBase = (oy * gx.out + ox) * cout;
            for (let o = 0; o < cout; o++) v[oBase + o]! += xv * kernel.values[kBase + o]!;
          }
        }
  return { h: gy.out, w: gx.out, c: cout, v };
}

function pool(x: Map3, size: number[], strides: number[], padding: string | undefined, kind: 'max' | 'avg'): Map3 {
  const gy = geometry(x.h, size[0]!, strides[0]!, padding);
  const gx = geometry(x.w, size[1]!, strides[1]!, padding);
  const v = new Float32Array(gy.out * gx.out * x.c);
  for (let oy = 0; oy < gy.out; oy++)
    for (let ox = 0; ox < gx.out; ox++)
      for (let c = 0; c < x.c; c++) {
        let acc = kind === 'max' ? -Infinity : 0;
        let n = 0;
        for (let ky = 0; ky < size[0]!; ky++)
          for (let kx = 0; kx < size[1]!; kx++) {
            const iy = oy * strides[0]! + ky - gy.before;
            const ix = ox * strides[1]! + kx - gx.before;
            if (iy < 0 || ix < 0 || iy >= x.h || ix >= x.w) continue;
            const value = x.v[(iy * x.w + ix) * x.c + c]!;
            acc = kind === 'max' ? Math.max(acc, value) : acc + value;
            n++;
          }
        v[(oy * gx.out + ox) * x.c + c] = kind === 'max' ? acc : acc / n;
      }
  return { h: gy.out, w: gx.out, c: x.c, v };
}

function evaluateKeras(layers: KerasLayer[], weights: Map<string, DecodedTensor>, input: Map3, until: string): Map3 {
  const byName = new Map(layers.map((l) => [l.name, l]));
  const done = new Map<string, Map3>();
  const run = (name: string): Map3 => {
    const cached = done.get(name);
    if (cached) return cached;
    const layer = byName.get(name)!;
    const inputs = (layer.inbound_nodes[0] ?? []).map(([src]) => src);
    const c = layer.config;
    let out: Map3;
    switch (layer.class_name) {
      case 'InputLayer':
        out = input;
        break;
      case 'Conv2D':
        out = conv(run(inputs[0]!), weights.get(`${name}/kernel`)!, c.strides!, c.padding);
        break;
      case 'BatchNormalization': {
        const x = run(inputs[0]!);
        const mean = weights.get(`${name}/moving_mean`)!.values;
        const variance = weights.get(`${name}/moving_variance`)!.values;
        const beta = weights.get(`${name}/beta`)!.values;
        out = { ...x, v: x.v.map((value, i) => (value - mean[i % x.c]!) / Math.sqrt(variance[i % x.c]! + c.epsilon!) + beta[i % x.c]!) };
        break;
      }
      case 'Activation': {
        const x = run(inputs[0]!);
        out = { ...x, v: x.v.map((value) => Math.max(0, value)) };
        break;
      }
      case 'MaxPooling2D':
      case 'AveragePooling2D':
        out = pool(run(inputs[0]!), c.pool_size!, c.strides!, c.padding, layer.class_name === 'MaxPooling2D' ? 'max' : 'avg');
        break;
      case 'Concatenate': {
        const parts = inputs.map(run);
        const channels = parts.reduce((a, p) => a + p.c, 0);
        const v = new Float32Array(parts[0]!.h * parts[0]!.w * channels);
        for (let p = 0; p < parts[0]!.h * parts[0]!.w; p++) {
          let o = 0;
          for (const part of parts) {
            v.set(part.v.subarray(p * part.c, (p + 1) * part.c), p * channels + o);
            o += part.c;
          }
        }
        out = { h: parts[0]!.h, w: parts[0]!.w, c: channels, v };
        break;
      }
      default:
        throw new Error(`reference has no ${layer.class_name}`);
    }
    done.set(name, out);
    return out;
  };
  return run(until);
}

/** Runs the graph in a worker thread: onnxruntime's tensors need a realm of their own, not jest's. */
describe('InceptionV3 Keras layers → ONNX conversion', () => {
  it('computes what the Keras layers compute (stem to mixed1: every layer kind), to 1e-4 relative', async () => {
    const { model, weightData } = await loadBundledInception();
    const layers = model.modelTopology.model_config.config.layers;
    const weights = decodeWeights(model, weightData);
    const size = 91; // an odd size: the strided "valid" layers drop a border row and column
    const pixels = Float32Array.from({ length: size * size * 3 }, (_, i) => ((i * 7919) % 1000) / 1000);
    const bytes = convertKerasToOnnx(layers, weights, [
      { output: 'mixed1_avg', layer: 'mixed1', pool: 'avg' },
      { output: 'mixed1_max', layer: 'mixed1', pool: 'max' },
    ]);
    const result = await runOnnx(bytes, { pixels, size });

    const reference = evaluateKeras(layers, weights, { h: size, w: size, c: 3, v: pixels }, 'mixed1');
    const spatial = reference.h * reference.w;
    const refAvg = Array.from({ length: reference.c }, (_, c) => {
      let s = 0;
      for (let p = 0; p < spatial; p++) s += reference.v[p * reference.c + c]!;
      return s / spatial;
    });
    const refMax = Array.from({ length: reference.c }, (_, c) => {
      let m = -Infinity;
      for (let p = 0; p < spatial; p++) m = Math.max(m, reference.v[p * reference.c + c]!);
      return m;
    });
    for (const [name, ref] of [['mixed1_avg', refAvg], ['mixed1_max', refMax]] as const) {
      const got = result[name]!;
      expect(got).toHaveLength(288);
      const scale = Math.max(...ref.map(Math.abs));
      expect(scale).toBeGreaterThan(0.1);
      const worst = Math.max(...ref.map((r, i) => Math.abs(r - got[i]!)));
      expect(worst / scale).toBeLessThan(1e-4);
    }
  });

  it('refuses layers it cannot convert instead of computing something else', async () => {
    const { model, weightData } = await loadBundledInception();
    const layers = model.modelTopology.model_config.config.layers;
    expect(() => convertKerasToOnnx(layers, decodeWeights(model, weightData), [{ output: 'x', layer: 'dense_3', pool: 'avg' }])).toThrow(/unsupported Keras layer Dense/);
  });
});
