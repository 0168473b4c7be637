import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeSyntheticImages } from '@relabel/ports/testing';
import type { Backbone } from './backbone';
import { createEmbedder } from './embedder';

// A stand-in backbone that counts its runs: the first stage yields 2 values per view, the second 1 more.
function countingBackbone() {
  const runs = { first: 0, second: 0 };
  const backbone: Backbone = {
    blocks: [2, 1],
    embedFirst: async (rgb, views) => views.map(() => (runs.first++, Float32Array.from([rgb[0]!, 1]))),
    embedSecond: async (_rgb, views, first) => views.map((_, i) => (runs.second++, Float32Array.from([...first[i]!, 7]))),
    embed: async (rgb, views) => backbone.embedSecond(rgb, views, await backbone.embedFirst(rgb, views)),
    netFeatures: async () => new Float32Array(0),
    close: async () => undefined,
  };
  return { backbone, runs };
}

describe('embedder cache', () => {
  const dir = mkdtempSync(join(tmpdir(), 'relabel-embedder-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('embeds staged as detection does, and caches each stage so a retrain embeds nothing again', async () => {
    const [image] = await makeSyntheticImages({ labels: ['a'], perLabel: 1, seed: 3 });
    const { backbone, runs } = countingBackbone();
    const embedder = createEmbedder(backbone, dir);

    // The screen is sure: MobileNet only, and that is what is cached.
    const screened = await embedder.embedStaged(image!.body, ['whole'], () => false);
    expect(screened[0]!.length).toBe(2);
    expect(await embedder.embedStaged(image!.body, ['whole'], () => false)).toEqual(screened);
    expect(runs).toEqual({ first: 1, second: 0 });

    // A later screen is unsure: only the second stage runs, on the cached first one.
    const full = await embedder.embedStaged(image!.body, ['whole'], () => true);
    expect(Array.from(full[0]!)).toEqual([...Array.from(screened[0]!), 7]);
    expect(runs).toEqual({ first: 1, second: 1 });
    // Full vectors are known from now on, for staged and plain embedding alike.
    expect(await embedder.embedStaged(image!.body, ['whole'], () => false)).toEqual(full);
    expect(await embedder.embed(image!.body, ['whole'])).toEqual(full);
    expect(runs).toEqual({ first: 1, second: 1 });
  });
});
