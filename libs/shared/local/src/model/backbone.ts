import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { convertToOnnx, type FeatureTap } from './onnx-convert';
import { BACKBONE_PACKAGE, decodeWeights, loadBundledMobilenet } from './tfjs-weights';

/**
 * The frozen feature extractor: MobileNetV2 ×1.4 converted to ONNX once (cached in `cacheDir`,
 * keyed by the converter version and taps) and run with onnxruntime-node on 2 intra-op threads.
 * The final 1792-channel map is pooled by average (what the whole frame looks like) and by max
 * (whether a mark is present anywhere, which keeps small marks in big frames visible); a
 * mid-level block (14×14 at 224 px) adds finer shape/colour cues.
 */
export const FEATURE_TAPS: (FeatureTap & { channels: number })[] = [
  { output: 'final_avg', tfNodeSuffix: 'MobilenetV2/Conv_1/Relu6', pool: 'avg', channels: 1792 },
  { output: 'final_max', tfNodeSuffix: 'MobilenetV2/Conv_1/Relu6', pool: 'max', channels: 1792 },
  { output: 'mid_avg', tfNodeSuffix: 'MobilenetV2/expanded_conv_12/add', pool: 'avg', channels: 136 },
  { output: 'mid_max', tfNodeSuffix: 'MobilenetV2/expanded_conv_12/add', pool: 'max', channels: 136 },
];

/** Widths of the taps in a feature vector, in order (the head normalises each on its own). */
export const FEATURE_BLOCKS: readonly number[] = FEATURE_TAPS.map((t) => t.channels);

/** Bump when the converter output changes, so stale cached graphs are not reused. */
const CONVERTER_VERSION = 1;

export function backboneCacheName(): string {
  const key = createHash('sha256').update(JSON.stringify({ CONVERTER_VERSION, BACKBONE_PACKAGE, FEATURE_TAPS: FEATURE_TAPS.map(({ channels: _, ...tap }) => tap) })).digest('hex').slice(0, 12);
  return `mobilenet_v2_mid-${key}.onnx`;
}

/** Path of the converted graph, converting from the npm package on first use (atomic write). */
export async function ensureBackboneOnnx(cacheDir: string): Promise<string> {
  const path = join(cacheDir, backboneCacheName());
  if (existsSync(path)) return path;
  await mkdir(cacheDir, { recursive: true });
  const { graph, weightData } = await loadBundledMobilenet();
  const bytes = convertToOnnx(graph, decodeWeights(graph, weightData), FEATURE_TAPS);
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(tmp, bytes);
  await rename(tmp, path);
  return path;
}

export interface Backbone {
  /** Feature size of one embedding (all taps concatenated). */
  readonly dims: number;
  /** Widths of the taps, in order. */
  readonly blocks: readonly number[];
  /** NHWC float32 batch in [0, 1] → one concatenated feature vector per image. */
  features(batch: Float32Array, n: number, height: number, width: number): Promise<Float32Array[]>;
  close(): Promise<void>;
}

export async function loadBackbone(cacheDir: string, threads = 2): Promise<Backbone> {
  const path = await ensureBackboneOnnx(cacheDir);
  const session = await ort.InferenceSession.create(path, {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
    executionMode: 'sequential',
  });
  let dims = 0;
  const backbone: Backbone = {
    blocks: FEATURE_BLOCKS,
    get dims() {
      return dims;
    },
    async features(batch, n, height, width) {
      const result = await session.run({ pixels_nhwc: new ort.Tensor('float32', batch, [n, height, width, 3]) });
      const parts = FEATURE_TAPS.map((tap) => {
        const t = result[tap.output];
        if (!t) throw new Error(`backbone output ${tap.output} missing`);
        return { data: t.data as Float32Array, width: Number(t.dims[1]) };
      });
      const total = parts.reduce((a, p) => a + p.width, 0);
      dims = total;
      const out: Float32Array[] = [];
      for (let i = 0; i < n; i++) {
        const v = new Float32Array(total);
        let o = 0;
        for (const p of parts) {
          v.set(p.data.subarray(i * p.width, (i + 1) * p.width), o);
          o += p.width;
        }
        out.push(v);
      }
      return out;
    },
    async close() {
      await session.release();
    },
  };
  return backbone;
}
