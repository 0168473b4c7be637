import { onnx } from 'onnx-proto';
import { encodeFeatureModel } from './onnx-features';
import type { DecodedTensor, TfGraphModel, TfNode } from './tfjs-weights';

/**
 * A small TF.js graph → ONNX converter, enough for MobileNetV2 (the ops the nsfwjs graph uses).
 * The ONNX graph takes NHWC float input in [0, 1] with free height/width (the hub graph rescales to
 * [-1, 1] itself), converts to NCHW once, and ends in pooled feature "taps" instead of the NSFW
 * classifier, so any input size works and intermediate layers can be pooled as well.
 */
export interface FeatureTap {
  /** ONNX output name. */
  output: string;
  /** Name suffix of the TF node whose (NCHW) feature map is pooled. */
  tfNodeSuffix: string;
  pool: 'avg' | 'max';
}

function attrString(node: TfNode, key: string): string | undefined {
  const value = node.attr?.[key]?.s;
  return value === undefined ? undefined : Buffer.from(value, 'base64').toString();
}

function fusedOps(node: TfNode): string[] {
  return (node.attr?.fused_ops?.list?.s ?? []).map((s) => Buffer.from(s, 'base64').toString());
}

function strides(node: TfNode): number[] {
  const s = (node.attr?.strides?.list?.i ?? ['1', '1', '1', '1']).map(Number);
  return [s[1]!, s[2]!];
}

function ints(name: string, values: number[]): onnx.IAttributeProto {
  return { name, type: onnx.AttributeProto.AttributeType.INTS, ints: values };
}

function tensor(name: string, dims: number[], values: Float32Array): onnx.ITensorProto {
  return { name, dims, dataType: onnx.TensorProto.DataType.FLOAT, rawData: new Uint8Array(values.buffer, values.byteOffset, values.byteLength) };
}

/** HWIO → OIHW for convolutions; HW(in)(mult) → (in·mult)1HW for depthwise. */
function transposeKernel(t: DecodedTensor, depthwise: boolean): { dims: number[]; values: Float32Array } {
  const [kh, kw, cin, cout] = t.shape as [number, number, number, number];
  const out = new Float32Array(t.values.length);
  const outChannels = depthwise ? cin * cout : cout;
  const inPerGroup = depthwise ? 1 : cin;
  for (let y = 0; y < kh; y++)
    for (let x = 0; x < kw; x++)
      for (let i = 0; i < cin; i++)
        for (let o = 0; o < cout; o++) {
          const src = ((y * kw + x) * cin + i) * cout + o;
          const oc = depthwise ? i * cout + o : o;
          const ic = depthwise ? 0 : i;
          out[((oc * inPerGroup + ic) * kh + y) * kw + x] = t.values[src]!;
        }
  return { dims: [outChannels, inPerGroup, kh, kw], values: out };
}

export function convertToOnnx(graph: TfGraphModel, weights: Map<string, DecodedTensor>, taps: FeatureTap[]): Buffer {
  const nodes = new Map(graph.modelTopology.node.map((n) => [n.name, n]));
  const inputName = (ref: string) => ref.replace(/^\^/, '').replace(/:0$/, '');
  const onnxNodes: onnx.INodeProto[] = [];
  const initializers: onnx.ITensorProto[] = [];
  const emitted = new Set<string>();
  let counter = 0;
  const fresh = (base: string) => `${base}__${counter++}`;
  initializers.push(tensor('relu6_min', [], new Float32Array([0])), tensor('relu6_max', [], new Float32Array([6])));

  const emit = (name: string): string => {
    if (emitted.has(name)) return name;
    const node = nodes.get(name);
    if (!node) throw new Error(`TF node ${name} not found`);
    const inputs = (node.input ?? []).filter((i) => !i.startsWith('^')).map(inputName);
    emitted.add(name);
    switch (node.op) {
      case 'Placeholder':
        onnxNodes.push({ opType: 'Transpose', input: ['pixels_nhwc'], output: [name], attribute: [ints('perm', [0, 3, 1, 2])] });
        return name;
      case 'Const': {
        const w = weights.get(name);
        if (!w) throw new Error(`no weights for ${name}`);
        initializers.push(tensor(name, w.shape, w.values));
        return name;
      }
      case 'Identity':
        onnxNodes.push({ opType: 'Identity', input: [emit(inputs[0]!)], output: [name] });
        return name;
      case 'Mul':
      case 'Sub':
      case 'AddV2':
      case 'Add': {
        const opType = node.op === 'AddV2' ? 'Add' : node.op;
        onnxNodes.push({ opType, input: inputs.map(emit), output: [name] });
        return name;
      }
      case '_FusedConv2D':
      case 'FusedDepthwiseConv2dNative': {
        const depthwise = node.op === 'FusedDepthwiseConv2dNative';
        const [x, wName, bName] = inputs as [string, string, string];
        const kernel = weights.get(wName);
        const bias = weights.get(bName);
        if (!kernel || !bias) throw new Error(`missing conv weights for ${name}`);
        const k = transposeKernel(kernel, depthwise);
        const kName = `${wName}__oihw`;
        initializers.push(tensor(kName, k.dims, k.values));
        initializers.push(tensor(bName, bias.shape, bias.values));
        const ops = fusedOps(node);
        if (ops[0] !== 'BiasAdd' || ops.length > 2) throw new Error(`unsupported fused ops ${ops.join(',')} on ${name}`);
        const activation = ops[1];
        const convOut = activation ? fresh(name) : name;
        const padding = attrString(node, 'padding');
        onnxNodes.push({
          opType: 'Conv',
          input: [emit(x), kName, bName],
          output: [convOut],
          attribute: [
            ints('strides', strides(node)),
            ints('kernel_shape', [k.dims[2]!, k.dims[3]!]),
            { name: 'group', type: onnx.AttributeProto.AttributeType.INT, i: depthwise ? kernel.shape[2]! : 1 },
            // TF "SAME" puts the odd padding pixel at the end, which is ONNX SAME_UPPER.
            { name: 'auto_pad', type: onnx.AttributeProto.AttributeType.STRING, s: Buffer.from(padding === 'SAME' ? 'SAME_UPPER' : 'VALID') },
          ],
        });
        if (activation === 'Relu6') onnxNodes.push({ opType: 'Clip', input: [convOut, 'relu6_min', 'relu6_max'], output: [name] });
        else if (activation === 'Relu') onnxNodes.push({ opType: 'Relu', input: [convOut], output: [name] });
        else if (activation) throw new Error(`unsupported activation ${activation} on ${name}`);
        return name;
      }
      default:
        throw new Error(`unsupported TF op ${node.op} (${name})`);
    }
  };

  const pooled = taps.map((tap) => {
    const tfName = graph.modelTopology.node.find((n) => n.name.endsWith(tap.tfNodeSuffix))?.name;
    if (!tfName) throw new Error(`no TF node ends with ${tap.tfNodeSuffix}`);
    return { output: tap.output, source: emit(tfName), pool: tap.pool };
  });
  return encodeFeatureModel('mobilenet_v2_mid_features', 'relabel-tfjs-to-onnx', onnxNodes, initializers, pooled);
}
