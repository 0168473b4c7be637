import { onnx } from 'onnx-proto';
import { encodeFeatureModel } from './onnx-features';
import type { DecodedTensor } from './tfjs-weights';

/**
 * A small Keras-layers (TF.js "layers model") → ONNX converter, enough for the InceptionV3 that
 * ships in the `nsfwjs` package: Conv2D + BatchNormalization (folded into the convolution),
 * ReLU, max/average pooling and channel concatenation. Like the graph converter (onnx-convert.ts)
 * it takes NHWC input in [0, 1] with free height/width, converts to NCHW once and ends in pooled
 * feature taps of chosen layers, so nothing past the last tap is computed.
 */
export interface KerasLayer {
  name: string;
  class_name: string;
  config: {
    filters?: number;
    kernel_size?: number[];
    strides?: number[];
    pool_size?: number[];
    padding?: 'same' | 'valid';
    use_bias?: boolean;
    activation?: string;
    epsilon?: number;
    scale?: boolean;
    center?: boolean;
    axis?: number;
    dilation_rate?: number[];
  };
  inbound_nodes: [string, number, number, object][][];
}

export interface KerasTap {
  /** ONNX output name. */
  output: string;
  /** Keras layer whose feature map is pooled. */
  layer: string;
  pool: 'avg' | 'max';
}

const ints = (name: string, values: number[]): onnx.IAttributeProto => ({ name, type: onnx.AttributeProto.AttributeType.INTS, ints: values });
const str = (name: string, value: string): onnx.IAttributeProto => ({ name, type: onnx.AttributeProto.AttributeType.STRING, s: Buffer.from(value) });
const tensor = (name: string, dims: number[], values: Float32Array): onnx.ITensorProto => ({
  name,
  dims,
  dataType: onnx.TensorProto.DataType.FLOAT,
  rawData: new Uint8Array(values.buffer, values.byteOffset, values.byteLength),
});
// Keras "same" puts the odd padding pixel at the end, which is ONNX SAME_UPPER.
const autoPad = (padding: string | undefined) => str('auto_pad', padding === 'same' ? 'SAME_UPPER' : 'VALID');

/** HWIO kernel scaled per output channel → OIHW (the batch norm folded in). */
function foldedKernel(kernel: DecodedTensor, scale: Float32Array): { dims: number[]; values: Float32Array } {
  const [kh, kw, cin, cout] = kernel.shape as [number, number, number, number];
  const out = new Float32Array(kernel.values.length);
  for (let y = 0; y < kh; y++)
    for (let x = 0; x < kw; x++)
      for (let i = 0; i < cin; i++)
        for (let o = 0; o < cout; o++) out[((o * cin + i) * kh + y) * kw + x] = kernel.values[((y * kw + x) * cin + i) * cout + o]! * scale[o]!;
  return { dims: [cout, cin, kh, kw], values: out };
}

export function convertKerasToOnnx(layers: KerasLayer[], weights: Map<string, DecodedTensor>, taps: KerasTap[]): Buffer {
  const byName = new Map(layers.map((l) => [l.name, l]));
  const consumers = new Map<string, string[]>();
  for (const l of layers) for (const [src] of l.inbound_nodes[0] ?? []) consumers.set(src, [...(consumers.get(src) ?? []), l.name]);
  const inputsOf = (l: KerasLayer) => (l.inbound_nodes[0] ?? []).map(([src]) => src);
  const weight = (name: string) => {
    const w = weights.get(name);
    if (!w) throw new Error(`no weights for ${name}`);
    return w;
  };
  const nodes: onnx.INodeProto[] = [];
  const initializers: onnx.ITensorProto[] = [];
  const emitted = new Set<string>();

  const emit = (name: string): string => {
    if (emitted.has(name)) return name;
    const layer = byName.get(name);
    if (!layer) throw new Error(`Keras layer ${name} not found`);
    emitted.add(name);
    const { config } = layer;
    const inputs = inputsOf(layer);
    switch (layer.class_name) {
      case 'InputLayer':
        nodes.push({ opType: 'Transpose', input: ['pixels_nhwc'], output: [name], attribute: [ints('perm', [0, 3, 1, 2])] });
        return name;
      case 'Conv2D':
        // Emitted by the batch norm that follows it (folded); a bare convolution is not needed here.
        throw new Error(`Conv2D ${name} is not followed by a BatchNormalization`);
      case 'BatchNormalization': {
        const conv = byName.get(inputs[0]!);
        if (conv?.class_name !== 'Conv2D' || conv.config.use_bias || (consumers.get(conv.name) ?? []).length !== 1 || conv.config.activation !== 'linear')
          throw new Error(`BatchNormalization ${name} does not follow a bias-free linear Conv2D of its own`);
        if ((conv.config.dilation_rate ?? [1, 1]).some((d) => d !== 1)) throw new Error(`dilated Conv2D ${conv.name} is not supported`);
        const mean = weight(`${name}/moving_mean`).values;
        const variance = weight(`${name}/moving_variance`).values;
        const beta = config.center === false ? new Float32Array(mean.length) : weight(`${name}/beta`).values;
        const gamma = config.scale ? weight(`${name}/gamma`).values : undefined;
        const eps = config.epsilon ?? 1e-3;
        const scale = Float32Array.from(mean, (_, o) => (gamma ? gamma[o]! : 1) / Math.sqrt(variance[o]! + eps));
        const bias = Float32Array.from(mean, (m, o) => beta[o]! - m * scale[o]!);
        const k = foldedKernel(weight(`${conv.name}/kernel`), scale);
        initializers.push(tensor(`${name}__w`, k.dims, k.values), tensor(`${name}__b`, [bias.length], bias));
        nodes.push({
          opType: 'Conv',
          input: [emit(inputsOf(conv)[0]!), `${name}__w`, `${name}__b`],
          output: [name],
          attribute: [ints('strides', conv.config.strides ?? [1, 1]), ints('kernel_shape', [k.dims[2]!, k.dims[3]!]), autoPad(conv.config.padding)],
        });
        return name;
      }
      case 'Activation':
        if (config.activation !== 'relu') throw new Error(`unsupported activation ${config.activation} on ${name}`);
        nodes.push({ opType: 'Relu', input: [emit(inputs[0]!)], output: [name] });
        return name;
      case 'MaxPooling2D':
      case 'AveragePooling2D':
        // count_include_pad stays 0: Keras averages over the valid pixels only.
        nodes.push({
          opType: layer.class_name === 'MaxPooling2D' ? 'MaxPool' : 'AveragePool',
          input: [emit(inputs[0]!)],
          output: [name],
          attribute: [ints('kernel_shape', config.pool_size!), ints('strides', config.strides ?? config.pool_size!), autoPad(config.padding)],
        });
        return name;
      case 'Concatenate':
        if (config.axis !== 3 && config.axis !== -1) throw new Error(`Concatenate ${name} is not over channels`);
        nodes.push({ opType: 'Concat', input: inputs.map(emit), output: [name], attribute: [{ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: 1 }] });
        return name;
      default:
        throw new Error(`unsupported Keras layer ${layer.class_name} (${name})`);
    }
  };

  const pooled = taps.map((tap) => ({ output: tap.output, source: emit(tap.layer), pool: tap.pool }));
  return encodeFeatureModel('keras_features', 'relabel-keras-to-onnx', nodes, initializers, pooled);
}
