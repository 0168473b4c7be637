import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { backboneCacheName, type Backbone } from './backbone';
import { contentHash as hashOf, writeAtomically } from './disk-cache';
import { cachedKeypoints } from './keypoint-cache';
import type { Keypoints } from './keypoints';
import { INPUT_SIZE, letterbox, type View } from './preprocess';

/**
 * Image bytes → one raw feature vector per requested view. With a cache directory, each view's
 * vector is kept on disk keyed by the image content hash (and backbone), so a retrain only embeds
 * new images, and a change of the augmentation views only embeds the views not seen before.
 */
export interface Embedder {
  /** Widths of the backbone taps in each vector (normalised one by one, see features.ts). */
  readonly blocks: readonly number[];
  embed(bytes: Buffer, views: readonly View[]): Promise<Float32Array[]>;
  /**
   * As detection embeds (see head.ts, the screen): MobileNet's taps first, InceptionV3's only when
   * `needSecond` says so. Returns the full vectors when they are known (computed or cached), else
   * MobileNet's alone.
   */
  embedStaged(bytes: Buffer, views: readonly View[], needSecond: (first: Float32Array[]) => boolean): Promise<Float32Array[]>;
  /** Keypoints of the frame, for the mark check (mark-check.ts); cached like the vectors. */
  keypoints(bytes: Buffer): Promise<Keypoints>;
}

type Stage = 'first' | 'full';

const embeddingsDir = (cacheDir: string) => join(cacheDir, 'embeddings', backboneCacheName());
/** Where keypoints are cached (keypoint-cache.ts), for the threads that read them too. */
export const keypointsDir = (cacheDir: string): string => join(embeddingsDir(cacheDir), 'keypoints');

export function createEmbedder(backbone: Backbone, cacheDir?: string): Embedder {
  const dir = cacheDir ? embeddingsDir(cacheDir) : undefined;
  // Full vectors keep the file names they always had; MobileNet-only ones are marked.
  const fileOf = (hash: string, view: View, stage: Stage) => join(dir!, hash.slice(0, 2), `${hash}-${INPUT_SIZE}-${view}${stage === 'first' ? '-first' : ''}.f32`);

  const read = (hash: string, views: readonly View[], stage: Stage): Promise<(Float32Array | undefined)[]> =>
    Promise.all(
      views.map(async (view) => {
        if (!dir) return undefined;
        try {
          const raw = await readFile(fileOf(hash, view, stage));
          return new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
        } catch {
          return undefined; // not cached yet (or unreadable): computed by the caller
        }
      }),
    );
  const write = async (hash: string, views: readonly View[], vectors: readonly Float32Array[], stage: Stage): Promise<void> => {
    if (!dir) return;
    await Promise.all(views.map((view, i) => writeAtomically(fileOf(hash, view, stage), new Uint8Array(vectors[i]!.buffer, vectors[i]!.byteOffset, vectors[i]!.byteLength))));
  };
  const all = (vectors: (Float32Array | undefined)[]): vectors is Float32Array[] => vectors.every((v) => v !== undefined);

  return {
    blocks: backbone.blocks,
    keypoints: cachedKeypoints(cacheDir && keypointsDir(cacheDir)),
    async embed(bytes, views) {
      const hash = hashOf(bytes);
      const found = await read(hash, views, 'full');
      const missing = views.filter((_, i) => !found[i]);
      if (missing.length === 0) return found as Float32Array[];
      const computed = await backbone.embed(await letterbox(bytes), missing);
      await write(hash, missing, computed, 'full');
      return views.map((view, i) => found[i] ?? computed[missing.indexOf(view)]!);
    },
    async embedStaged(bytes, views, needSecond) {
      const hash = hashOf(bytes);
      const full = await read(hash, views, 'full');
      if (all(full)) return full;
      let rgb: Uint8Array | undefined;
      const frame = async () => (rgb ??= await letterbox(bytes));
      const cachedFirst = await read(hash, views, 'first');
      const first = all(cachedFirst) ? cachedFirst : await backbone.embedFirst(await frame(), views);
      if (!needSecond(first)) {
        if (first !== cachedFirst) await write(hash, views, first, 'first');
        return first;
      }
      const vectors = await backbone.embedSecond(await frame(), views, first);
      await write(hash, views, vectors, 'full');
      return vectors;
    },
  };
}
