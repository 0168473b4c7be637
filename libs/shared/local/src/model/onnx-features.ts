import { onnx } from 'onnx-proto';

/**
 * The part both converters share (onnx-convert.ts for TF.js graphs, keras-convert.ts for Keras
 * layers): each tap's feature map globally pooled and flattened into an `N × C` output, and the
 * model around the converted nodes, with NHWC input `pixels_nhwc` of free height and width.
 */
export const FEATURE_OPSET = 13;

export interface PooledTap {
  output: string;
  /** Name of the converted node whose NCHW map is pooled. */
  source: string;
  pool: 'avg' | 'max';
}

export function encodeFeatureModel(name: string, producer: string, nodes: onnx.INodeProto[], initializers: onnx.ITensorProto[], taps: PooledTap[]): Buffer {
  const outputs: onnx.IValueInfoProto[] = [];
  for (const tap of taps) {
    const pooled = `${tap.output}__pooled`;
    nodes.push({ opType: tap.pool === 'avg' ? 'GlobalAveragePool' : 'GlobalMaxPool', input: [tap.source], output: [pooled] });
    nodes.push({ opType: 'Flatten', input: [pooled], output: [tap.output], attribute: [{ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: 1 }] });
    outputs.push({ name: tap.output, type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, shape: { dim: [{ dimParam: 'N' }, { dimParam: 'C' }] } } } });
  }
  const model: onnx.IModelProto = {
    irVersion: 7,
    producerName: producer,
    opsetImport: [{ domain: '', version: FEATURE_OPSET }],
    graph: {
      name,
      node: nodes,
      initializer: initializers,
      input: [{ name: 'pixels_nhwc', type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, shape: { dim: [{ dimParam: 'N' }, { dimParam: 'H' }, { dimParam: 'W' }, { dimValue: 3 }] } } } }],
      output: outputs,
    },
  };
  return Buffer.from(onnx.ModelProto.encode(onnx.ModelProto.create(model)).finish());
}
