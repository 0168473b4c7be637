import { ERRORS, isRelabelError } from '@relabel/contracts';
import { seededRandom } from '@relabel/ports/testing';
import { validateImage } from './image-validation';
import { makeJpeg, makePng } from '../testing/image-fixtures';

const limits = { maxBytes: 256 * 1024, maxPixels: 1_000_000 };
const rng = seededRandom(0xdec0de);
const int = (n: number) => Math.floor(rng() * n);

/** Byte-level mutations a broken client, a flaky network or an attacker could produce. */
function mutate(seed: Buffer): Buffer {
  const out = Buffer.from(seed);
  switch (int(5)) {
    case 0: // flip a few bytes anywhere, the header included
      for (let i = 0, n = 1 + int(8); i < n; i++) out[int(out.length)] = int(256);
      return out;
    case 1: // truncate
      return out.subarray(0, int(out.length));
    case 2: // overwrite a run with garbage
      for (let i = int(out.length), end = Math.min(out.length, i + int(200)); i < end; i++) out[i] = int(256);
      return out;
    case 3: // splice in random bytes
      return Buffer.concat([out.subarray(0, int(out.length)), randomBytes(1 + int(64)), out.subarray(int(out.length))]);
    default: // keep only the signature and header, then noise
      return Buffer.concat([out.subarray(0, 2 + int(40)), randomBytes(int(2048))]);
  }
}

function randomBytes(n: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = int(256);
  return b;
}

/** Each input ends as a valid image or as a coded 4xx image error — never anything else. */
async function outcome(bytes: Buffer): Promise<string> {
  try {
    const image = await validateImage(bytes, limits);
    expect(image.width * image.height).toBeLessThanOrEqual(limits.maxPixels);
    return 'valid';
  } catch (err) {
    if (!isRelabelError(err)) throw new Error(`uncoded error for ${bytes.length} bytes: ${(err as Error).message}`);
    expect(err.code).toMatch(/^IMAGE_/);
    expect(err.status).toBeGreaterThanOrEqual(400);
    expect(err.status).toBeLessThan(500);
    expect(ERRORS[err.code].retryable).toBe(false);
    return err.code;
  }
}

describe('validateImage under fuzzing', () => {
  it('maps random bytes to a coded 4xx', async () => {
    const seen = new Set<string>();
    for (let i = 0; i < 300; i++) seen.add(await outcome(randomBytes(int(4096))));
    for (let i = 0; i < 100; i++) seen.add(await outcome(Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), randomBytes(int(4096))])));
    for (let i = 0; i < 100; i++) {
      seen.add(await outcome(Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(int(4096))])));
    }
    expect(seen.has('valid')).toBe(false);
    expect(seen.has('IMAGE_UNSUPPORTED_TYPE')).toBe(true);
    expect(seen.has('IMAGE_CORRUPT')).toBe(true);
  });

  it('maps mutated JPEGs and PNGs to a valid result or a coded 4xx', async () => {
    const seeds = [await makeJpeg(96, 64, 3), await makePng(96, 64, 5), await makeJpeg(40, 300, 7)];
    const seen = new Set<string>();
    for (let i = 0; i < 600; i++) seen.add(await outcome(mutate(seeds[i % seeds.length]!)));
    expect(seen.has('IMAGE_CORRUPT')).toBe(true);
  });
});
