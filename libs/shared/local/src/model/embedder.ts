import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { backboneCacheName, type Backbone } from './backbone';
import { INPUT_SIZE, letterbox, writeView, type View } from './preprocess';

/**
 * Image bytes → one feature vector per requested view. With a cache directory, vectors are kept on
 * disk keyed by the image content hash (and backbone), so a retrain only embeds new images.
 */
export interface Embedder {
  embed(bytes: Buffer, views: readonly View[]): Promise<Float32Array[]>;
}

export function createEmbedder(backbone: Backbone, cacheDir?: string): Embedder {
  const dir = cacheDir ? join(cacheDir, 'embeddings', backboneCacheName().replace(/\.onnx$/, '')) : undefined;

  const compute = async (bytes: Buffer, views: readonly View[]): Promise<Float32Array[]> => {
    const rgb = await letterbox(bytes);
    const batch = new Float32Array(views.length * INPUT_SIZE * INPUT_SIZE * 3);
    views.forEach((view, slot) => writeView(rgb, view, batch, slot));
    return backbone.features(batch, views.length, INPUT_SIZE, INPUT_SIZE);
  };

  return {
    async embed(bytes, views) {
      if (!dir) return compute(bytes, views);
      const hash = createHash('sha256').update(bytes).digest('hex');
      const file = join(dir, hash.slice(0, 2), `${hash}-${INPUT_SIZE}-${views.join('+')}.f32`);
      try {
        const raw = await readFile(file);
        const all = new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4);
        const dims = all.length / views.length;
        return views.map((_, i) => all.slice(i * dims, (i + 1) * dims));
      } catch {
        // Not cached yet (or unreadable): compute and store below.
      }
      const vectors = await compute(bytes, views);
      const joined = new Float32Array(vectors.reduce((a, v) => a + v.length, 0));
      let offset = 0;
      for (const v of vectors) {
        joined.set(v, offset);
        offset += v.length;
      }
      await mkdir(join(dir, hash.slice(0, 2)), { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      await writeFile(tmp, Buffer.from(joined.buffer));
      await rename(tmp, file);
      return vectors;
    },
  };
}
