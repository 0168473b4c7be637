import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { backboneCacheName, type Backbone } from './backbone';
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
}

export function createEmbedder(backbone: Backbone, cacheDir?: string): Embedder {
  const dir = cacheDir ? join(cacheDir, 'embeddings', backboneCacheName()) : undefined;

  const compute = async (bytes: Buffer, views: readonly View[]): Promise<Float32Array[]> => backbone.embed(await letterbox(bytes), views);

  return {
    blocks: backbone.blocks,
    async embed(bytes, views) {
      if (!dir) return compute(bytes, views);
      const hash = createHash('sha256').update(bytes).digest('hex');
      const fileOf = (view: View) => join(dir, hash.slice(0, 2), `${hash}-${INPUT_SIZE}-${view}.f32`);
      const found = await Promise.all(
        views.map(async (view) => {
          try {
            const raw = await readFile(fileOf(view));
            return new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
          } catch {
            return undefined; // not cached yet (or unreadable): computed below
          }
        }),
      );
      const missing = views.filter((_, i) => !found[i]);
      if (missing.length === 0) return found as Float32Array[];
      const computed = await compute(bytes, missing);
      await mkdir(join(dir, hash.slice(0, 2)), { recursive: true });
      await Promise.all(
        missing.map(async (view, i) => {
          // Unique per write: the same image may be embedded twice at once (duplicates in a training set).
          const tmp = `${fileOf(view)}.${process.pid}.${randomUUID()}.tmp`;
          await writeFile(tmp, Buffer.from(computed[i]!.buffer, computed[i]!.byteOffset, computed[i]!.byteLength));
          await rename(tmp, fileOf(view));
        }),
      );
      return views.map((view, i) => found[i] ?? computed[missing.indexOf(view)]!);
    },
  };
}
