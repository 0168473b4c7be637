import sharp from 'sharp';
import { geometricFrame, INPUT_SIZE, letterbox, NEUTRAL_BACKGROUND, sniffFormat, writeView } from './preprocess';

describe('image preprocessing', () => {
  it('sniffs JPEG and PNG by magic number only', async () => {
    const png = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#f00' } }).png().toBuffer();
    const jpeg = await sharp(png).jpeg().toBuffer();
    expect([sniffFormat(png), sniffFormat(jpeg), sniffFormat(Buffer.from('GIF89a'))]).toEqual(['png', 'jpeg', null]);
  });

  it('letterboxes a wide frame: keeps its aspect and pads with grey instead of squashing', async () => {
    // 400×100 red frame → a red band of a quarter of the height, centred, grey above and below.
    const wide = await sharp({ create: { width: 400, height: 100, channels: 3, background: '#ff0000' } }).png().toBuffer();
    const rgb = await letterbox(wide);
    const s = INPUT_SIZE;
    expect(rgb.length).toBe(s * s * 3);
    const at = (x: number, y: number) => Array.from(rgb.subarray((y * s + x) * 3, (y * s + x) * 3 + 3));
    expect(at(s / 2, s / 2)).toEqual([255, 0, 0]);
    expect(at(s / 2, Math.round(s * 0.05))).toEqual([128, 128, 128]);
    expect(at(s / 2, Math.round(s * 0.95))).toEqual([128, 128, 128]);
  });

  it('flattens transparent pixels onto the neutral grey, not the black their RGB carries', async () => {
    // Left half opaque red, right half fully transparent *black* (what most encoders store).
    const raw = Buffer.alloc(64 * 64 * 4);
    for (let y = 0; y < 64; y++)
      for (let x = 0; x < 32; x++) raw.set([255, 0, 0, 255], (y * 64 + x) * 4);
    const png = await sharp(raw, { raw: { width: 64, height: 64, channels: 4 } }).png().toBuffer();
    const rgb = await letterbox(png);
    const s = INPUT_SIZE;
    const at = (x: number, y: number) => Array.from(rgb.subarray((y * s + x) * 3, (y * s + x) * 3 + 3));
    expect(at(Math.round(s * 0.25), s / 2)).toEqual([255, 0, 0]);
    expect(at(Math.round(s * 0.75), s / 2)).toEqual([NEUTRAL_BACKGROUND.r, NEUTRAL_BACKGROUND.g, NEUTRAL_BACKGROUND.b]);
  });

  it('refuses empty, non-image and truncated input with stable codes', async () => {
    const jpeg = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#0f0' } }).jpeg().toBuffer();
    await expect(letterbox(Buffer.alloc(0))).rejects.toMatchObject({ code: 'IMAGE_EMPTY' });
    await expect(letterbox(Buffer.from('%PDF-1.4'))).rejects.toMatchObject({ code: 'IMAGE_UNSUPPORTED_TYPE' });
    await expect(letterbox(jpeg.subarray(0, 100))).rejects.toMatchObject({ code: 'IMAGE_CORRUPT' });
  });

  it('writes [0,1] NHWC views, mirrored for "flip"', () => {
    const rgb = new Uint8Array(INPUT_SIZE * INPUT_SIZE * 3);
    rgb[0] = 255; // top-left pixel red
    const out = new Float32Array(2 * INPUT_SIZE * INPUT_SIZE * 3);
    writeView(rgb, 'whole', out, 0);
    writeView(rgb, 'flip', out, 1);
    expect(out[0]).toBe(1);
    const slot1 = INPUT_SIZE * INPUT_SIZE * 3;
    expect(out[slot1 + (INPUT_SIZE - 1) * 3]).toBe(1);
    expect(out[slot1]).toBe(0);
  });

  describe('geometric views', () => {
    const s = INPUT_SIZE;
    // A white square of half the side, centred, on black.
    const square = new Uint8Array(s * s * 3);
    for (let y = s / 4; y < (3 * s) / 4; y++) square.fill(255, (y * s + s / 4) * 3, (y * s + (3 * s) / 4) * 3);
    const whiteRows = (rgb: Uint8Array, x: number) => Array.from({ length: s }, (_, y) => rgb[(y * s + x) * 3]!).filter((v) => v > 200).length;
    const at = (rgb: Uint8Array, x: number, y: number) => Array.from(rgb.subarray((y * s + x) * 3, (y * s + x) * 3 + 3));

    it('zoomOut shrinks the frame to 70 % inside a neutral border; zoomIn enlarges its centre 1.25×', async () => {
      const out = await geometricFrame(square, 'zoomOut');
      expect(out.length).toBe(s * s * 3);
      expect(at(out, 5, 5)).toEqual([128, 128, 128]);
      expect(at(out, s / 2, s / 2)).toEqual([255, 255, 255]);
      expect(whiteRows(out, s / 2)).toBeGreaterThanOrEqual(Math.floor(s * 0.35) - 3);
      expect(whiteRows(out, s / 2)).toBeLessThanOrEqual(Math.ceil(s * 0.35) + 3);
      const zin = await geometricFrame(square, 'zoomIn');
      expect(whiteRows(zin, s / 2)).toBeGreaterThanOrEqual(Math.floor(s * 0.625) - 3);
      expect(whiteRows(zin, s / 2)).toBeLessThanOrEqual(Math.ceil(s * 0.625) + 3);
    });

    it('turnLeft and turnRight rotate about the centre, opposite ways, and keep the side', async () => {
      const left = await geometricFrame(square, 'turnLeft');
      const right = await geometricFrame(square, 'turnRight');
      expect(left.length).toBe(s * s * 3);
      expect(at(left, s / 2, s / 2)).toEqual([255, 255, 255]);
      // Turned clockwise (right), the square's top-left corner becomes its highest point, at
      // x = centre − 112·(cos 12° − sin 12°) ≈ centre − 86; turned left, the top-right one.
      const topmost = (rgb: Uint8Array) => {
        for (let y = 0; y < s; y++) for (let x = 0; x < s; x++) if (rgb[(y * s + x) * 3]! > 200) return x - s / 2;
        return NaN;
      };
      expect(Math.abs(topmost(right) + 86)).toBeLessThanOrEqual(4);
      expect(Math.abs(topmost(left) - 86)).toBeLessThanOrEqual(4);
      // The corners the turned frame no longer covers are neutral grey.
      expect(at(right, 1, 1)).toEqual([128, 128, 128]);
    });
  });
});
