import { onnx } from 'onnx-proto';

/**
 * 8-bit quantization of a converted feature graph, in onnxruntime's QDQ form: every convolution's
 * weights become int8 per output channel (symmetric), its bias int32, and every activation between
 * the quantized operators is rounded through uint8 with a fixed range (`QuantizeLinear` →
 * `DequantizeLinear` pairs). onnxruntime fuses each `DequantizeLinear → op → QuantizeLinear` group
 * into its integer kernel (QLinearConv, QLinearAdd, QLinearConcat, QLinearAveragePool) and drops a
 * ReLU/ReLU6 that the following quantization already clips. On the dev box's AVX-512 VNNI cores
 * that halves both networks' time (local model README, "8-bit backbone").
 *
 * The ranges are measured once on calibration images (`scripts/calibrate-backbone.ts`) and ship in
 * `backbone-ranges.json`, so every machine builds the same graph from the npm package.
 */

/** [min, max] of each quantized activation, by tensor name. */
export type TensorRanges = Record<string, [number, number]>;

const { DataType } = onnx.TensorProto;
const QUANTIZED_OPS = new Set(['Conv', 'Add', 'Concat', 'MaxPool', 'AveragePool']);
const axis0: onnx.IAttributeProto = { name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: 0 };

const decode = (bytes: Uint8Array) => onnx.ModelProto.decode(bytes);
const encode = (model: onnx.ModelProto) => Buffer.from(onnx.ModelProto.encode(model).finish());
const raw = (values: Float32Array | Int8Array | Int32Array | Uint8Array) => new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
const floats = (t: onnx.ITensorProto) => {
  const bytes = Uint8Array.from(t.rawData ?? []);
  return new Float32Array(bytes.buffer, 0, bytes.byteLength / 4);
};

/**
 * The activations to quantize: the data inputs and outputs of the quantized operators. A
 * convolution whose only consumer is its activation is quantized after the activation, which
 * onnxruntime then folds into the convolution.
 */
export function quantizedTensors(bytes: Uint8Array): string[] {
  return tensorsOf(decode(bytes).graph as onnx.GraphProto);
}

function tensorsOf(graph: onnx.GraphProto): string[] {
  const initializers = new Set(graph.initializer.map((t) => t.name));
  const consumers = new Map<string, onnx.INodeProto[]>();
  for (const node of graph.node) for (const input of node.input ?? []) consumers.set(input, [...(consumers.get(input) ?? []), node]);
  const tensors = new Set<string>();
  for (const node of graph.node) {
    if (!QUANTIZED_OPS.has(node.opType!)) continue;
    const data = node.opType === 'Conv' ? [node.input![0]!] : node.input!.filter((i) => !initializers.has(i));
    for (const input of data) tensors.add(input);
    const output = node.output![0]!;
    const next = consumers.get(output) ?? [];
    const activation = node.opType === 'Conv' && next.length === 1 && (next[0]!.opType === 'Relu' || next[0]!.opType === 'Clip');
    tensors.add(activation ? next[0]!.output![0]! : output);
  }
  return [...tensors];
}

/** The same graph with the given intermediate tensors as extra outputs (for calibration). */
export function withTensorOutputs(bytes: Uint8Array, names: readonly string[]): Buffer {
  const model = decode(bytes);
  for (const name of names) (model.graph as onnx.GraphProto).output.push(onnx.ValueInfoProto.create({ name, type: { tensorType: { elemType: DataType.FLOAT } } }));
  return encode(model);
}

/** Int8 weights per output channel, symmetric (zero point 0), as onnxruntime's x86 kernels expect. */
function quantizeWeights(values: Float32Array, channels: number): { q: Int8Array; scales: Float32Array } {
  const per = values.length / channels;
  const q = new Int8Array(values.length);
  const scales = new Float32Array(channels);
  for (let c = 0; c < channels; c++) {
    let peak = 0;
    for (let i = c * per; i < (c + 1) * per; i++) peak = Math.max(peak, Math.abs(values[i]!));
    const scale = peak / 127 || 1e-8;
    scales[c] = scale;
    for (let i = c * per; i < (c + 1) * per; i++) q[i] = Math.round(values[i]! / scale);
  }
  return { q, scales };
}

/** The QDQ graph: see the file comment. Every tensor of `quantizedTensors` must have a range. */
export function quantizeGraph(bytes: Uint8Array, ranges: TensorRanges): Buffer {
  const model = decode(bytes);
  const graph = model.graph as onnx.GraphProto;
  const missing = tensorsOf(graph).filter((name) => !ranges[name]);
  if (missing.length > 0) throw new Error(`no calibration range for ${missing.length} tensors (${missing[0]}…): run scripts/calibrate-backbone.ts`);
  const initializers = new Map(graph.initializer.map((t) => [t.name!, t]));
  const added: onnx.ITensorProto[] = [];
  const nodes: onnx.INodeProto[] = [];
  const activationScale = new Map<string, number>();
  for (const [name, [min, max]] of Object.entries(ranges)) {
    // uint8 with the range widened to hold 0 exactly (padding and ReLU outputs).
    const lo = Math.min(0, min);
    const scale = (Math.max(0, max) - lo) / 255 || 1e-8;
    activationScale.set(name, scale);
    added.push(
      { name: `${name}__scale`, dims: [], dataType: DataType.FLOAT, rawData: raw(new Float32Array([scale])) },
      { name: `${name}__zero`, dims: [], dataType: DataType.UINT8, rawData: raw(new Uint8Array([Math.min(255, Math.round(-lo / scale))])) },
    );
  }
  const dequantized = (name: string) => (activationScale.has(name) ? `${name}__dq` : name);
  const perChannel = (name: string, dims: number[], q: Int8Array | Int32Array, scales: Float32Array) => {
    const zeroType = q instanceof Int8Array ? DataType.INT8 : DataType.INT32;
    added.push(
      { name: `${name}__q`, dims, dataType: zeroType, rawData: raw(q) },
      { name: `${name}__qscale`, dims: [scales.length], dataType: DataType.FLOAT, rawData: raw(scales) },
      { name: `${name}__qzero`, dims: [scales.length], dataType: zeroType, rawData: new Uint8Array(scales.length * (zeroType === DataType.INT8 ? 1 : 4)) },
    );
    nodes.push({ opType: 'DequantizeLinear', input: [`${name}__q`, `${name}__qscale`, `${name}__qzero`], output: [`${name}__dq`], attribute: [axis0] });
    return `${name}__dq`;
  };
  for (const node of graph.node) {
    const input = node.input!.map(dequantized);
    if (node.opType === 'Conv') {
      const kernel = initializers.get(node.input![1]!)!;
      const dims = kernel.dims!.map(Number);
      const { q, scales } = quantizeWeights(floats(kernel), dims[0]!);
      input[1] = perChannel(kernel.name!, dims, q, scales);
      const bias = node.input![2] ? initializers.get(node.input![2])! : undefined;
      const inScale = activationScale.get(node.input![0]!)!;
      if (bias) {
        // The bias in the accumulator's units (input scale × weight scale), as QLinearConv adds it.
        const biasScales = scales.map((s) => s * inScale);
        input[2] = perChannel(bias.name!, [dims[0]!], Int32Array.from(floats(bias), (b, c) => Math.round(b / biasScales[c]!)), biasScales);
      }
    }
    nodes.push({ ...node, input });
    for (const output of node.output ?? []) {
      if (!activationScale.has(output)) continue;
      const params = [`${output}__scale`, `${output}__zero`];
      nodes.push({ opType: 'QuantizeLinear', input: [output, ...params], output: [`${output}__q`] });
      nodes.push({ opType: 'DequantizeLinear', input: [`${output}__q`, ...params], output: [`${output}__dq`] });
    }
  }
  graph.node = nodes.map((n) => onnx.NodeProto.create(n));
  const used = new Set(nodes.flatMap((n) => n.input ?? []));
  graph.initializer = [...graph.initializer.filter((t) => used.has(t.name!)), ...added.map((t) => onnx.TensorProto.create(t))];
  return encode(model);
}
