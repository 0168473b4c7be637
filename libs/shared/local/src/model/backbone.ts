import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import ranges from './backbone-ranges.json';
import { convertKerasToOnnx, type KerasTap } from './keras-convert';
import { convertToOnnx, type FeatureTap } from './onnx-convert';
import { quantizeGraph, type TensorRanges } from './onnx-quantize';
import { geometricFrame, INPUT_SIZE, isGeometricView, resizeRgb, writeView, type GeometricView, type View } from './preprocess';
import { decodeWeights, loadBundledInception, loadBundledMobilenet } from './tfjs-weights';

/**
 * The frozen feature extractor: two ImageNet networks that ship inside the `nsfwjs` npm package,
 * converted to ONNX once (cached in `cacheDir`, keyed by converter version, taps and calibration
 * ranges), quantized to 8 bits (`onnx-quantize.ts`) and run with onnxruntime-node. Each image's
 * vector is both networks' taps side by side:
 *
 * - MobileNetV2 ×1.4 at 448²: the final 1792-channel map pooled by average (what the whole frame
 *   looks like) and by max (whether a mark is present anywhere), and a mid-level block.
 * - InceptionV3 at 299², cut after `mixed7`: every mixed block from `mixed2` on, average- and
 *   max-pooled. Mid-level Inception blocks describe shapes that MobileNet's final map pools away;
 *   together they lift the bench's macro-F1 from 0.57/0.69/0.84 to 0.65/0.80/0.91 at 5/10/30
 *   images per label for about twice the backbone time of one MobileNet view (local model README).
 */
export const FEATURE_TAPS: (FeatureTap & { channels: number })[] = [
  { output: 'final_avg', tfNodeSuffix: 'MobilenetV2/Conv_1/Relu6', pool: 'avg', channels: 1792 },
  { output: 'final_max', tfNodeSuffix: 'MobilenetV2/Conv_1/Relu6', pool: 'max', channels: 1792 },
  { output: 'mid_avg', tfNodeSuffix: 'MobilenetV2/expanded_conv_12/add', pool: 'avg', channels: 136 },
  { output: 'mid_max', tfNodeSuffix: 'MobilenetV2/expanded_conv_12/add', pool: 'max', channels: 136 },
];

/** InceptionV3's taps: `mixed2` is 288 channels wide, `mixed3`–`mixed7` 768. */
export const INCEPTION_TAPS: (KerasTap & { channels: number })[] = ['mixed2', 'mixed3', 'mixed4', 'mixed5', 'mixed6', 'mixed7'].flatMap((layer) =>
  (['avg', 'max'] as const).map((pool) => ({ output: `${layer}_${pool}`, layer, pool, channels: layer === 'mixed2' ? 288 : 768 })),
);
/** Side of the square InceptionV3 sees (its native input): at 448 it cost 2.3× for no gain here. */
export const INCEPTION_SIZE = 299;

/** Widths of the taps in a feature vector, in order (the head normalises each on its own). */
export const FEATURE_BLOCKS: readonly number[] = [...FEATURE_TAPS, ...INCEPTION_TAPS].map((t) => t.channels);
/** Widths of the MobileNet-only vectors that heads of format 2 were trained on (a prefix of today's). */
export const MOBILENET_DIMS = FEATURE_TAPS.reduce((a, t) => a + t.channels, 0);

/** Bump when the converter output changes, so stale cached graphs are not reused. */
const CONVERTER_VERSION = 2;

export type NetName = 'mobilenet_v2_mid' | 'inception_v3';

interface Net {
  name: NetName;
  taps: { output: string; channels: number }[];
  /** The float graph, as the npm package's weights compute it (before quantization). */
  convert(): Promise<Buffer>;
}

/** Activation ranges per net, measured by scripts/calibrate-backbone.ts on the float graphs. */
export const BACKBONE_RANGES = ranges as unknown as { calibration: string; nets: Record<NetName, TensorRanges> };

const NETS: Net[] = [
  {
    name: 'mobilenet_v2_mid',
    taps: FEATURE_TAPS,
    convert: async () => {
      const { graph, weightData } = await loadBundledMobilenet();
      return convertToOnnx(graph, decodeWeights(graph, weightData), FEATURE_TAPS);
    },
  },
  {
    name: 'inception_v3',
    taps: INCEPTION_TAPS,
    convert: async () => {
      const { model, weightData } = await loadBundledInception();
      return convertKerasToOnnx(model.modelTopology.model_config.config.layers, decodeWeights(model, weightData), INCEPTION_TAPS);
    },
  },
];

function netFile(net: Net): string {
  const taps = net.taps.map(({ channels: _, ...tap }) => tap);
  const quantization = BACKBONE_RANGES.nets[net.name];
  const key = createHash('sha256').update(JSON.stringify({ CONVERTER_VERSION, package: `nsfwjs/models/${net.name}`, taps, quantization })).digest('hex').slice(0, 12);
  return `${net.name}-${key}.onnx`;
}

/** Names the feature space (both converted graphs): embedding caches and heads record it. */
export function backboneCacheName(): string {
  return NETS.map((net) => netFile(net).replace(/\.onnx$/, '')).join('+');
}

/** One net's float graph, converted from the npm package (for checks and calibration). */
export function convertFloatNet(name: NetName): Promise<Buffer> {
  return NETS.find((net) => net.name === name)!.convert();
}

/** Paths of the quantized graphs, converting from the npm package on first use (atomic writes). */
export async function ensureBackboneOnnx(cacheDir: string): Promise<string[]> {
  await mkdir(cacheDir, { recursive: true });
  const paths: string[] = [];
  for (const net of NETS) {
    const path = join(cacheDir, netFile(net));
    if (!existsSync(path)) {
      const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
      await writeFile(tmp, quantizeGraph(await net.convert(), BACKBONE_RANGES.nets[net.name]));
      await rename(tmp, path);
    }
    paths.push(path);
  }
  return paths;
}

export interface Backbone {
  /** Widths of the taps, in order (all nets). */
  readonly blocks: readonly number[];
  /** One letterboxed INPUT_SIZE² RGB frame → one concatenated feature vector per view. */
  embed(rgb: Uint8Array, views: readonly View[]): Promise<Float32Array[]>;
  /** MobileNet's taps of each view (MOBILENET_DIMS wide): all the screen reads (see head.ts). */
  embedFirst(rgb: Uint8Array, views: readonly View[]): Promise<Float32Array[]>;
  /** The full vectors: `first` (from embedFirst) with InceptionV3's taps appended. */
  embedSecond(rgb: Uint8Array, views: readonly View[], first: readonly Float32Array[]): Promise<Float32Array[]>;
  /** One net's raw taps for a square NHWC image in [0, 1] (for checks and benches). */
  netFeatures(net: NetName, pixels: Float32Array, size: number): Promise<Float32Array>;
  close(): Promise<void>;
}

export async function loadBackbone(cacheDir: string, threads = 2): Promise<Backbone> {
  const paths = await ensureBackboneOnnx(cacheDir);
  const sessions = await Promise.all(
    paths.map((path) =>
      ort.InferenceSession.create(path, {
        intraOpNumThreads: threads,
        interOpNumThreads: 1,
        graphOptimizationLevel: 'all',
        // No memory pattern (onnxruntime's pre-planned activation block per input shape): a serving
        // process peaked at 367–377 MB without it, 466–475 MB with it, at the same detect time
        // (with sharp's cache off and MALLOC_ARENA_MAX=2, see preprocess.ts and scripts/start.ts).
        enableMemPattern: false,
        executionMode: 'sequential',
        // Two sessions run one after the other: threads of the one that just finished would spin
        // for work and take the cores from the next (bench: 101 ms for both nets, 55 ms without).
        extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } },
      }),
    ),
  );
  const run = async (index: number, pixels: Float32Array, size: number): Promise<Float32Array> => {
    const result = await sessions[index]!.run({ pixels_nhwc: new ort.Tensor('float32', pixels, [1, size, size, 3]) });
    const parts = NETS[index]!.taps.map((tap) => {
      const t = result[tap.output];
      if (!t || t.data.length !== tap.channels) throw new Error(`backbone output ${tap.output} missing or not ${tap.channels} wide`);
      return t.data as Float32Array;
    });
    const out = new Float32Array(parts.reduce((a, p) => a + p.length, 0));
    let o = 0;
    for (const p of parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  };
  // A geometric view's frame is rendered once per input frame, for both networks.
  const geometric = new WeakMap<Uint8Array, Map<GeometricView, Promise<Uint8Array>>>();
  const frameOf = (rgb: Uint8Array, view: GeometricView): Promise<Uint8Array> => {
    let frames = geometric.get(rgb);
    if (!frames) geometric.set(rgb, (frames = new Map()));
    let frame = frames.get(view);
    if (!frame) frames.set(view, (frame = geometricFrame(rgb, view)));
    return frame;
  };
  // InceptionV3's input is resized on sharp's threads while MobileNet runs on this one, so a frame
  // the screen is unsure of does not wait for it afterwards (the resize is the same either way).
  const smallFrames = new WeakMap<Uint8Array, Promise<Uint8Array>>();
  const smallFrame = (rgb: Uint8Array): Promise<Uint8Array> => {
    let small = smallFrames.get(rgb);
    if (!small) smallFrames.set(rgb, (small = resizeRgb(rgb, INPUT_SIZE, INCEPTION_SIZE)));
    return small;
  };
  const embedFirst: Backbone['embedFirst'] = async (rgb, views) => {
    void smallFrame(rgb).catch(() => undefined);
    // One view per run: batching views bought nothing per image at 448² on the bench (18.0 ms
    // either way) but sized onnxruntime's arena for the batch (+110 MB serving RSS at 2 views).
    // Input buffers per call: an inference worker embeds several requests at once, interleaved
    // at every await, so shared buffers would feed one image's pixels to another's run.
    const input = new Float32Array(INPUT_SIZE * INPUT_SIZE * 3);
    const first: Float32Array[] = [];
    for (const view of views) {
      if (isGeometricView(view)) writeView(await frameOf(rgb, view), 'whole', input, 0);
      else writeView(rgb, view, input, 0);
      first.push(await run(0, input, INPUT_SIZE));
    }
    return first;
  };
  const embedSecond: Backbone['embedSecond'] = async (rgb, views, first) => {
    // Pixel views and the mirror commute with resizing: one resize per frame for all of them. A
    // geometric view is rendered at INPUT_SIZE and resized, as MobileNet saw it.
    const rgbSmall = await smallFrame(rgb);
    const small = new Float32Array(INCEPTION_SIZE * INCEPTION_SIZE * 3);
    const out: Float32Array[] = [];
    for (const [i, view] of views.entries()) {
      if (isGeometricView(view)) writeView(await resizeRgb(await frameOf(rgb, view), INPUT_SIZE, INCEPTION_SIZE), 'whole', small, 0, INCEPTION_SIZE);
      else writeView(rgbSmall, view, small, 0, INCEPTION_SIZE);
      const b = await run(1, small, INCEPTION_SIZE);
      const v = new Float32Array(first[i]!.length + b.length);
      v.set(first[i]!);
      v.set(b, first[i]!.length);
      out.push(v);
    }
    return out;
  };
  return {
    blocks: FEATURE_BLOCKS,
    embed: async (rgb, views) => embedSecond(rgb, views, await embedFirst(rgb, views)),
    embedFirst,
    embedSecond,
    netFeatures: (net, pixels, size) => run(NETS.findIndex((n) => n.name === net), pixels, size),
    async close() {
      await Promise.all(sessions.map((s) => s.release()));
    },
  };
}
