/**
 * Reads the pretrained MobileNetV2 (width 1.4, "mid") that ships inside the `nsfwjs` npm package
 * (MIT licence; weights are Google's ImageNet MobileNetV2 from TF-Hub, fine-tuned by the nsfwjs
 * authors). Only the model subpath files are used — the graph JSON and the base64 weight shards —
 * never the NSFW classifier API, and nothing is downloaded.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { runInNewContext } from 'node:vm';
import type { KerasLayer } from './keras-convert';

export interface TfNode {
  name: string;
  op: string;
  input?: string[];
  attr?: Record<string, { list?: { i?: string[]; s?: string[] }; s?: string; i?: string; b?: boolean; f?: number }>;
}

export interface TfWeightSpec {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: { min?: number; scale?: number; dtype: string };
}

export interface TfGraphModel {
  modelTopology: { node: TfNode[] };
  weightsManifest: { paths: string[]; weights: TfWeightSpec[] }[];
}

export interface DecodedTensor {
  shape: number[];
  values: Float32Array;
}

interface NsfwjsBundledModel {
  numOfWeightBundles: number;
}

/**
 * Evaluates one of the package's UMD model files (graph JSON or a base64 weight shard) and returns
 * its export. `require` would do the same but takes tens of seconds on the 5.6 MB shard (Node's
 * CJS loader path); a plain V8 script takes well under a second.
 */
function loadUmd(file: string): unknown {
  const module = { exports: {} as unknown };
  runInNewContext(readFileSync(file, 'utf8'), { module, exports: module.exports }, { filename: file });
  return module.exports;
}

/** Reads a model subpath of the package: its topology JSON and the concatenated weight bytes. */
function loadBundled<T extends { weightsManifest: TfGraphModel['weightsManifest'] }>(subpath: string, exportName: string, folder: string): { model: T; weightData: Buffer } {
  const entry = require.resolve(`nsfwjs/models/${subpath}`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const bundle = (require(entry) as Record<string, NsfwjsBundledModel>)[exportName]!;
  // The subpath module's lazy loaders point at dist/models/<folder>/*.min.js.
  const dir = join(dirname(entry), '..', '..', 'models', folder);
  const model = loadUmd(join(dir, 'model.min.js')) as T;
  const paths = model.weightsManifest.flatMap((group) => group.paths);
  if (paths.length !== bundle.numOfWeightBundles) throw new Error(`nsfwjs has ${bundle.numOfWeightBundles} weight shards, its manifest names ${paths.length}`);
  const parts = paths.map((path) => {
    const base64 = loadUmd(join(dir, `${path}.min.js`));
    if (typeof base64 !== 'string') throw new Error(`nsfwjs weight shard ${path} is not a base64 string`);
    return Buffer.from(base64, 'base64');
  });
  return { model, weightData: Buffer.concat(parts) };
}

/** Loads the MobileNetV2 graph and its concatenated weight bytes from the package. */
export async function loadBundledMobilenet(): Promise<{ graph: TfGraphModel; weightData: Buffer }> {
  const { model, weightData } = loadBundled<TfGraphModel>('mobilenet_v2_mid', 'MobileNetV2MidModel', 'mobilenet_v2_mid');
  return { graph: model, weightData };
}

export interface KerasModelJson {
  modelTopology: { model_config: { config: { layers: KerasLayer[] } } };
  weightsManifest: TfGraphModel['weightsManifest'];
}

/** Loads the InceptionV3 layers model and its concatenated weight bytes from the package. */
export async function loadBundledInception(): Promise<{ model: KerasModelJson; weightData: Buffer }> {
  return loadBundled<KerasModelJson>('inception_v3', 'InceptionV3Model', 'inception_v3');
}

/** Splits the weight bytes by the manifest, de-quantising uint8/uint16 weights to float32. */
export function decodeWeights(graph: Pick<TfGraphModel, 'weightsManifest'>, weightData: Buffer): Map<string, DecodedTensor> {
  const out = new Map<string, DecodedTensor>();
  let offset = 0;
  for (const spec of graph.weightsManifest.flatMap((group) => group.weights)) {
    const count = spec.shape.reduce((a, b) => a * b, 1);
    const values = new Float32Array(count);
    const q = spec.quantization;
    if (q && (q.dtype === 'uint8' || q.dtype === 'uint16')) {
      const width = q.dtype === 'uint8' ? 1 : 2;
      for (let i = 0; i < count; i++) {
        const raw = width === 1 ? weightData[offset + i]! : weightData.readUInt16LE(offset + i * 2);
        values[i] = raw * (q.scale ?? 1) + (q.min ?? 0);
      }
      offset += count * width;
    } else if (spec.dtype === 'float32') {
      for (let i = 0; i < count; i++) values[i] = weightData.readFloatLE(offset + i * 4);
      offset += count * 4;
    } else {
      throw new Error(`unsupported weight encoding for ${spec.name}: ${spec.dtype}/${q?.dtype}`);
    }
    out.set(spec.name, { shape: spec.shape, values });
  }
  if (offset !== weightData.length) throw new Error(`weight data has ${weightData.length} bytes, manifest describes ${offset}`);
  return out;
}
