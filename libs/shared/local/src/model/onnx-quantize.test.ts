import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onnx } from 'onnx-proto';
import { seededRandom } from '@relabel/ports/testing';
import { encodeFeatureModel } from './onnx-features';
import { runOnnx } from './onnx-worker.fixture';
import { quantizedTensors, quantizeGraph, withTensorOutputs, type TensorRanges } from './onnx-quantize';

const SIZE = 16;
const ints = (name: string, values: number[]): onnx.IAttributeProto => ({ name, type: onnx.AttributeProto.AttributeType.INTS, ints: values });
const samePad: onnx.IAttributeProto = { name: 'auto_pad', type: onnx.AttributeProto.AttributeType.STRING, s: Buffer.from('SAME_UPPER') };

/** A residual block as the converters emit it: conv → ReLU → 1×1 conv, added to the ReLU's output, pooled. */
function residualGraph(): Buffer {
  const rng = seededRandom(3);
  const tensor = (name: string, dims: number[]) => {
    const values = Float32Array.from({ length: dims.reduce((a, b) => a * b, 1) }, () => rng() - 0.5);
    return { name, dims, dataType: onnx.TensorProto.DataType.FLOAT, rawData: new Uint8Array(values.buffer) };
  };
  const nodes: onnx.INodeProto[] = [
    { opType: 'Transpose', input: ['pixels_nhwc'], output: ['nchw'], attribute: [ints('perm', [0, 3, 1, 2])] },
    { opType: 'Conv', input: ['nchw', 'w1', 'b1'], output: ['conv1'], attribute: [ints('kernel_shape', [3, 3]), samePad] },
    { opType: 'Relu', input: ['conv1'], output: ['relu1'] },
    { opType: 'Conv', input: ['relu1', 'w2', 'b2'], output: ['conv2'], attribute: [ints('kernel_shape', [1, 1])] },
    { opType: 'Add', input: ['relu1', 'conv2'], output: ['sum'] },
  ];
  const initializers = [tensor('w1', [8, 3, 3, 3]), tensor('b1', [8]), tensor('w2', [8, 8, 1, 1]), tensor('b2', [8])];
  return encodeFeatureModel('residual', 'test', nodes, initializers, [
    { output: 'avg', source: 'sum', pool: 'avg' },
    { output: 'max', source: 'sum', pool: 'max' },
  ]);
}

const image = (seed: number) => {
  const rng = seededRandom(seed);
  return { pixels: Float32Array.from({ length: SIZE * SIZE * 3 }, () => rng()), size: SIZE };
};

describe('8-bit quantization of a feature graph', () => {
  it('quantizes the data around each integer operator, after a convolution’s own ReLU', () => {
    expect(quantizedTensors(residualGraph()).sort()).toEqual(['conv2', 'nchw', 'relu1', 'sum']);
  });

  it('computes what the float graph computes, within the rounding of 8 bits, in integer kernels', async () => {
    const float = residualGraph();
    const tensors = quantizedTensors(float);
    const probe = withTensorOutputs(float, tensors);
    const ranges: TensorRanges = {};
    for (const seed of [1, 2, 3, 4]) {
      const result = await runOnnx(probe, image(seed), { outputs: tensors });
      for (const name of tensors) {
        const data = Array.from(result[name]!);
        const [min, max] = ranges[name] ?? [Infinity, -Infinity];
        ranges[name] = [Math.min(min, ...data), Math.max(max, ...data)];
      }
    }
    const quantized = quantizeGraph(float, ranges);
    const kinds = onnx.ModelProto.decode(quantized).graph!.node!.map((n) => n.opType);
    expect(kinds.filter((k) => k === 'QuantizeLinear')).toHaveLength(tensors.length);

    // onnxruntime must fuse the groups into its integer kernels (where the speed comes from).
    const dir = mkdtempSync(join(tmpdir(), 'relabel-quantize-'));
    const optimizedModelFilePath = join(dir, 'optimized.onnx');
    const input = image(9);
    const [fa, fb] = await Promise.all([runOnnx(float, input), runOnnx(quantized, input, { graphOptimizationLevel: 'all', optimizedModelFilePath })]);
    const fused = onnx.ModelProto.decode(readFileSync(optimizedModelFilePath)).graph!.node!.map((n) => n.opType);
    rmSync(dir, { recursive: true, force: true });
    expect(fused.filter((k) => k === 'QLinearConv')).toHaveLength(2);
    expect(fused).toContain('QLinearAdd');
    expect(fused).not.toContain('Conv');
    for (const output of ['avg', 'max']) {
      const x = fa[output]!;
      const y = fb[output]!;
      const scale = Math.max(...Array.from(x, Math.abs));
      expect(scale).toBeGreaterThan(0.1);
      const worst = Math.max(...Array.from(x, (v, i) => Math.abs(v - y[i]!)));
      expect(worst / scale).toBeLessThan(0.03);
      expect(Array.from(y)).not.toEqual(Array.from(x));
    }
  });

  it('refuses a graph with an activation it has no range for', () => {
    const float = residualGraph();
    expect(() => quantizeGraph(float, { nchw: [0, 1], relu1: [0, 2], conv2: [-1, 1] })).toThrow(/no calibration range for 1 tensors \(sum/);
  });
});
