import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { makeSyntheticImages } from '@relabel/ports/testing';
import { convertFloatNet, ensureBackboneOnnx, FEATURE_BLOCKS, FEATURE_TAPS, INCEPTION_SIZE, INCEPTION_TAPS, MOBILENET_DIMS, type NetName } from './backbone';
import { EmbeddingPool, FRAMES_KEPT } from './embedding-pool';
import type { Screen } from './head';
import { runOnnx } from './onnx-worker.fixture';
import { INPUT_SIZE, letterbox, NATIVE_SIZE, resizeRgb, writeView } from './preprocess';
import { loadBundledMobilenet } from './tfjs-weights';

jest.setTimeout(120_000);

const floatFeatures = async (net: NetName, pixels: Float32Array, size: number) => runOnnx(await convertFloatNet(net), { pixels, size });

/** Cosine of two pooled taps after the head's signed square root (features.ts). */
function rootCosine(a: Float32Array, b: Float32Array): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = Math.sign(a[i]!) * Math.sqrt(Math.abs(a[i]!));
    const y = Math.sign(b[i]!) * Math.sqrt(Math.abs(b[i]!));
    ab += x * y;
    aa += x * x;
    bb += y * y;
  }
  return ab / Math.sqrt(aa * bb);
}

// The converted ONNX graph must compute what the original TF.js graph computes: compare the pooled
// final features (TF.js "feature_vector/SpatialSqueeze") on a real image, before quantization.
describe('MobileNetV2 TF.js → ONNX conversion', () => {
  const cacheDir = join(tmpdir(), 'relabel-model-cache');
  const pool = new EmbeddingPool(cacheDir);
  afterAll(() => pool.close());

  it('matches the TF.js reference to 1e-5 relative', async () => {
    const [image] = await makeSyntheticImages({ labels: ['x'], perLabel: 1, seed: 4 });

    await tf.setBackend('cpu');
    const { graph, weightData } = await loadBundledMobilenet();
    const weightSpecs = graph.weightsManifest.flatMap((g) => g.weights) as tf.io.WeightsManifestEntry[];
    const model = await tf.loadGraphModel(tf.io.fromMemory({ modelTopology: graph.modelTopology, weightSpecs, weightData: new Uint8Array(weightData).buffer }));
    // The TF.js graph ends in a fixed 7×7 average pool, so compare at the native 224 input.
    const pixels = new Float32Array(NATIVE_SIZE * NATIVE_SIZE * 3);
    writeView(await letterbox(image!.body, NATIVE_SIZE), 'whole', pixels, 0, NATIVE_SIZE);
    const onnxFeatures = (await floatFeatures('mobilenet_v2_mid', pixels, NATIVE_SIZE)).final_avg!;
    const node = graph.modelTopology.node.find((n) => n.name.endsWith('feature_vector/SpatialSqueeze'))!.name;
    const reference = (model.execute(tf.tensor4d(pixels, [1, NATIVE_SIZE, NATIVE_SIZE, 3]), node) as tf.Tensor).dataSync();

    expect(reference.length).toBe(1792);
    let maxDiff = 0;
    let maxRef = 0;
    for (let i = 0; i < reference.length; i++) {
      maxDiff = Math.max(maxDiff, Math.abs(reference[i]! - onnxFeatures![i]!));
      maxRef = Math.max(maxRef, Math.abs(reference[i]!));
    }
    expect(maxRef).toBeGreaterThan(0.1);
    expect(maxDiff / maxRef).toBeLessThan(1e-5);
  });

  it('serves 8-bit graphs whose every tap keeps the float graph’s features', async () => {
    const images = await makeSyntheticImages({ labels: ['a', 'b'], perLabel: 1, seed: 5 });
    const graphs = await ensureBackboneOnnx(cacheDir);
    const nets = [
      { net: 'mobilenet_v2_mid', size: INPUT_SIZE, taps: FEATURE_TAPS, graph: readFileSync(graphs[0]!) },
      { net: 'inception_v3', size: INCEPTION_SIZE, taps: INCEPTION_TAPS, graph: readFileSync(graphs[1]!) },
    ] as const;
    for (const image of images)
      for (const { net, size, taps, graph } of nets) {
        const rgb = await letterbox(image.body);
        const pixels = new Float32Array(size * size * 3);
        writeView(size === INPUT_SIZE ? rgb : await resizeRgb(rgb, INPUT_SIZE, size), 'whole', pixels, 0, size);
        // The quantized graph step by step (no fusion: float convolutions of the rounded values) is
        // what the integer kernels must compute; on x86 cores without VNNI their 16-bit pair sums
        // can saturate (local model README, "8-bit backbone"), which this would catch.
        const [served, float, stepwise] = await Promise.all([
          pool.features(net, pixels, size),
          floatFeatures(net, pixels, size),
          runOnnx(graph, { pixels, size }, { graphOptimizationLevel: 'disabled' }),
        ]);
        let offset = 0;
        for (const tap of taps) {
          const quantized = served.subarray(offset, (offset += tap.channels));
          expect(quantized).not.toEqual(float[tap.output]);
          expect(rootCosine(quantized, float[tap.output]!)).toBeGreaterThan(0.97);
          expect(rootCosine(quantized, stepwise[tap.output]!)).toBeGreaterThan(0.995);
        }
        expect(offset).toBe(served.length);
      }
  });

  it('embeds concurrent requests as it embeds them one by one (one worker serves several at once)', async () => {
    const images = await makeSyntheticImages({ labels: ['a', 'b', 'c'], perLabel: 2, seed: 8 });
    const alone: Float32Array[] = [];
    for (const image of images) alone.push((await pool.embed(image.body, ['whole']))[0]!);
    const together = await Promise.all(images.map(async (image) => (await pool.embed(image.body, ['whole']))[0]!));
    expect(together.map((v) => Array.from(v))).toEqual(alone.map((v) => Array.from(v)));
    expect(Array.from(alone[0]!)).not.toEqual(Array.from(alone[2]!));
  });

  it('stops after MobileNet when the screen is sure, and runs both networks when it is not', async () => {
    const [image] = await makeSyntheticImages({ labels: ['a'], perLabel: 1, seed: 9 });
    const both = (await pool.embed(image!.body, ['whole']))[0]!;
    expect(both.length).toBe(FEATURE_BLOCKS.reduce((a, b) => a + b, 0));
    // Two labels; the weights read the first tap only, so the logits are ±50 apart on any image.
    const screen = (sure: number): Screen => ({
      dims: MOBILENET_DIMS,
      blocks: FEATURE_BLOCKS.slice(0, FEATURE_TAPS.length),
      weights: Float32Array.from({ length: 2 * MOBILENET_DIMS }, (_, i) => (i < 1792 ? 50 : i >= MOBILENET_DIMS && i < MOBILENET_DIMS + 1792 ? -50 : 0)),
      bias: new Float32Array(2),
      means: new Float32Array(2 * MOBILENET_DIMS),
      precision: new Float32Array(MOBILENET_DIMS),
      temperature: 1,
      familiarity: { logMean: 0, logSd: 1, tail: 0 },
      sure,
    });
    const screened = (await pool.embed(image!.body, ['whole'], screen(0.9)))[0]!;
    expect(Array.from(screened)).toEqual(Array.from(both.subarray(0, MOBILENET_DIMS)));
    // A screen that is never sure enough (and a second screen sent to the same worker).
    const unsure = (await pool.embed(image!.body, ['whole'], screen(1.1)))[0]!;
    expect(Array.from(unsure)).toEqual(Array.from(both));
  });

  it('gives the mark check the keypoints of the frame it embedded, kept or (evicted) decoded again', async () => {
    const images = await makeSyntheticImages({ labels: ['a', 'b'], perLabel: 1, seed: 12 });
    const expected = await Promise.all(images.map((image) => pool.keypoints(image.body)));
    const first = await pool.embedForCheck(images[0]!.body, ['whole']);
    const second = await pool.embedForCheck(images[1]!.body, ['whole']);
    expect(first.vectors).toEqual(await pool.embed(images[0]!.body, ['whole']));
    expect(await second.keypoints()).toEqual(expected[1]);
    // More embeds than the worker keeps frames of: the first image's frame is gone.
    for (let i = 0; i < FRAMES_KEPT; i++) await pool.embedForCheck(images[1]!.body, ['whole']);
    expect(await first.keypoints()).toEqual(expected[0]);
    expect(expected[0]!.count).toBeGreaterThan(0);
    expect(expected[0]).not.toEqual(expected[1]);
  });

  it('reports undecodable images with stable codes', async () => {
    await expect(pool.embed(Buffer.from('GIF89a....'), ['whole'])).rejects.toMatchObject({ code: 'IMAGE_UNSUPPORTED_TYPE' });
    await expect(pool.embed(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]), ['whole'])).rejects.toMatchObject({ code: 'IMAGE_CORRUPT' });
  });
});
