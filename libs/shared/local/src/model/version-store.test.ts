import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFsObjectStore } from '../object-store/fs-object-store';
import { FEATURE_BLOCKS, MOBILENET_DIMS } from './backbone';
import { predict, type Head } from './head';
import { buildMarkBank } from './mark-check';
import { VersionStore } from './version-store';

const floats = (n: number, f: (i: number) => number) => Float32Array.from({ length: n }, (_, i) => f(i));

describe('VersionStore heads', () => {
  const dir = mkdtempSync(join(tmpdir(), 'relabel-heads-'));
  const store = createFsObjectStore({ root: dir, bucket: 'heads' });
  const versions = new VersionStore(store);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps serving a head of format 2 (MobileNet taps only) after the upgrade, on the prefix it was trained on', async () => {
    // A format-2 head as the previous release wrote it: MobileNet blocks, no views recorded.
    const dims = MOBILENET_DIMS;
    const blocks = [1792, 1792, 136, 136];
    const weights = floats(2 * dims, (i) => (i < dims ? (i < 1792 ? 1 : 0) : i - dims < 1792 ? 0 : 1));
    const parts = [weights, new Float32Array(2), new Float32Array(2 * dims), floats(dims, () => 1)];
    await store.put('models/old/head.bin', Buffer.concat(parts.map((a) => Buffer.from(a.buffer))));
    await store.put('models/old/head.json', Buffer.from(JSON.stringify({ format: 2, labels: ['a', 'b'], dims, blocks, temperature: 0.05, familiarity: { logMean: 10, logSd: 1, tail: 0.05 } })));

    const { head } = await versions.readHead('old');
    expect(head.views).toEqual(['whole', 'flip']);
    expect(head.dims).toBe(dims);
    // Today's vectors are longer (both networks); the head reads its own prefix.
    const vector = floats(FEATURE_BLOCKS.reduce((a, b) => a + b, 0), (i) => (i < 1792 ? 1 : i < dims ? 0 : 5));
    const probs = predict(head, [vector]);
    expect(probs[0]!).toBeGreaterThan(0.9);
  });

  it('round-trips a current head with its views, its screen and its mark banks', async () => {
    const keypoints = (count: number, seed: number) => ({ count, xy: floats(2 * count, (i) => (i * seed) % 448), descriptors: Uint8Array.from({ length: 32 * count }, (_, i) => (i * 31 + seed) % 256) });
    const head: Head = {
      labels: ['a', 'b'],
      dims: 2,
      blocks: [2],
      weights: floats(4, (i) => i),
      bias: floats(2, (i) => i),
      means: floats(4, (i) => i / 2),
      precision: floats(2, () => 1),
      temperature: 3,
      familiarity: { logMean: 0, logSd: 1, tail: 0.05 },
      views: ['whole'],
      screen: { dims: 1, blocks: [1], weights: floats(2, (i) => i + 7), bias: floats(2, (i) => -i), means: floats(2, (i) => i / 3), precision: floats(1, () => 2), temperature: 5, familiarity: { logMean: 1, logSd: 1, tail: 0 }, sure: 0.95 },
      marks: [buildMarkBank([keypoints(3, 1), keypoints(5, 2)], true), buildMarkBank([keypoints(4, 3)], false)],
      markOdds: 6.5,
    };
    await versions.writeHead('now', head, { backbone: 'x' });
    const { head: read, meta } = await versions.readHead('now');
    expect(read).toEqual(head);
    expect(meta).toMatchObject({ format: 5, backbone: 'x' });

    // A format-4 head (before the mark check) is served without banks.
    const four = { ...JSON.parse((await store.get('models/now/head.json')).body.toString()), format: 4, marks: undefined };
    await store.put('models/four/head.json', Buffer.from(JSON.stringify(four)));
    await store.put('models/four/head.bin', (await store.get('models/now/head.bin')).body);
    const { head: older } = await versions.readHead('four');
    expect(older.marks).toBeUndefined();
    expect(older.markOdds).toBeUndefined();
    expect(older.screen).toEqual(head.screen);
  });

  it('keeps serving a head of format 3 (no screen: both networks for every image)', async () => {
    const parts = [floats(4, (i) => i), floats(2, () => 0), floats(4, () => 0), floats(2, () => 1)];
    await store.put('models/v3/head.bin', Buffer.concat(parts.map((a) => Buffer.from(a.buffer))));
    await store.put('models/v3/head.json', Buffer.from(JSON.stringify({ format: 3, labels: ['a', 'b'], dims: 2, blocks: [2], temperature: 1, familiarity: { logMean: 0, logSd: 1, tail: 0 }, views: ['whole'] })));
    const { head } = await versions.readHead('v3');
    expect(head.screen).toBeUndefined();
    expect(Array.from(head.weights)).toEqual([0, 1, 2, 3]);
  });

  it('refuses a head of an unknown format with MODEL_NOT_READY', async () => {
    await store.put('models/future/head.json', Buffer.from(JSON.stringify({ format: 99, labels: ['a', 'b'], dims: 2 })));
    await expect(versions.readHead('future')).rejects.toMatchObject({ code: 'MODEL_NOT_READY' });
  });
});
