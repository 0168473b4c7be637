import sharp from 'sharp';
import { RelabelError } from '@relabel/contracts';

// libvips' operation cache (process-wide) keeps decoded images for reuse; every image here is
// decoded once, so it only held memory (≈ 20 MB of a serving process's peak on the bench).
sharp.cache(false);

/** MobileNetV2's native input side (the size its ImageNet weights were trained at). */
export const NATIVE_SIZE = 224;
/**
 * Side of the square the backbone sees. The converted graph is fully convolutional up to its global
 * pooling, so it runs at 448 too, where marks covering 20–70% of the shorter side of a wide frame
 * are still large enough for the network: on the bench's logos-in-the-wild set this lifted macro-F1
 * from 0.57 to 0.75 at 15 images/label, for ~4× the compute of 224.
 */
export const INPUT_SIZE = 448;
/**
 * Letterbox fill and the background transparent pixels are flattened onto: mid grey, i.e. 0.5 after
 * [0, 1] scaling, neutral for the backbone. The review page shows images on the same grey, so a
 * reviewer sees what the model sees (docs/architecture.md, "Images").
 */
export const NEUTRAL_BACKGROUND = { r: 128, g: 128, b: 128 } as const;
const PAD = NEUTRAL_BACKGROUND;
/** Refuse decompression bombs before decoding (≈ 100 MP, far above any camera frame we serve). */
const MAX_INPUT_PIXELS = 100_000_000;

export type ImageFormat = 'jpeg' | 'png';

/** Magic-number sniffing, so an unsupported type is told apart from a corrupt JPEG/PNG. */
export function sniffFormat(bytes: Buffer): ImageFormat | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  return null;
}

/**
 * Decodes, auto-orients, flattens transparency onto the neutral grey and letterboxes the whole
 * image into INPUT_SIZE² RGB bytes — the one decoding path of training, evaluation and detection.
 * Letterboxing (not squashing) keeps the aspect of marks identical between training and serving;
 * flattening (not dropping alpha) keeps a transparent PNG from reaching the backbone as whatever RGB
 * its invisible pixels carry (usually black).
 */
export async function letterbox(bytes: Buffer, size = INPUT_SIZE): Promise<Uint8Array> {
  if (bytes.length === 0) throw new RelabelError('IMAGE_EMPTY');
  if (!sniffFormat(bytes)) throw new RelabelError('IMAGE_UNSUPPORTED_TYPE');
  try {
    const { data, info } = await sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error', sequentialRead: true })
      .rotate()
      .flatten({ background: PAD })
      .resize(size, size, { fit: 'contain', background: PAD, kernel: 'cubic', fastShrinkOnLoad: true })
      .removeAlpha()
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3 || info.width !== size || info.height !== size) throw new Error(`unexpected raw shape ${info.width}x${info.height}x${info.channels}`);
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (/pixel limit/i.test(message)) throw new RelabelError('IMAGE_DIMENSIONS', 'The image has too many pixels', undefined, { cause: err });
    throw new RelabelError('IMAGE_CORRUPT', `The image cannot be decoded: ${message}`, undefined, { cause: err });
  }
}

/** A letterboxed square RGB frame scaled to another side (for a second network's input size). */
export async function resizeRgb(rgb: Uint8Array, from: number, to: number): Promise<Uint8Array> {
  const data = await sharp(rgb, { raw: { width: from, height: from, channels: 3 } }).resize(to, to, { kernel: 'cubic' }).raw().toBuffer();
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/**
 * A view of a letterboxed image fed to the backbone: the frame, its mirror (`flip`, which heads of the
 * MobileNet-only release detect with, see version-store.ts), and for training photometric views so
 * that plate colour and light/dark polarity are no shortcut: `invert` (negative), `gray` (luma only)
 * and `perm` (colour channels rotated, so a red plate looks green); and geometric ones so that a
 * mark's size and pose are none either (GEOMETRIC_VIEWS). The neutral grey of the letterbox stays
 * (almost) grey in all of them.
 */
export type View = PixelView | GeometricView;
/** Views computed pixel by pixel from the frame, while it is written as the backbone's input. */
export type PixelView = 'whole' | 'flip' | 'invert' | 'gray' | 'perm';
export type GeometricView = 'zoomOut' | 'zoomIn' | 'turnLeft' | 'turnRight';
/**
 * Geometric views, each a new frame of the same side about the frame's centre: `zoomOut` shrinks it
 * to 70 % inside a neutral border (the marks smaller, as in a wider shot), `zoomIn` enlarges its
 * central 80 %, `turnLeft`/`turnRight` rotate it by 12°. The bench's few-shot gains are in
 * train-pipeline.ts (TRAIN_VIEWS).
 */
export const GEOMETRIC_VIEWS: Readonly<Record<GeometricView, { scale: number; degrees: number }>> = {
  zoomOut: { scale: 0.7, degrees: 0 },
  zoomIn: { scale: 1 / 0.8, degrees: 0 },
  turnLeft: { scale: 1, degrees: -12 },
  turnRight: { scale: 1, degrees: 12 },
};
export const isGeometricView = (view: View): view is GeometricView => view in GEOMETRIC_VIEWS;

/** A square RGB frame re-rendered as a geometric view (same side; uncovered corners neutral grey). */
export async function geometricFrame(rgb: Uint8Array, view: GeometricView, size = INPUT_SIZE): Promise<Uint8Array> {
  const { scale, degrees } = GEOMETRIC_VIEWS[view];
  const input = { raw: { width: size, height: size, channels: 3 as const } };
  let out: Buffer;
  if (degrees !== 0) {
    // sharp grows the canvas to hold the turned frame; its centre is the frame's centre.
    const { data, info } = await sharp(rgb, input).rotate(degrees, { background: PAD }).raw().toBuffer({ resolveWithObject: true });
    const left = Math.floor((info.width - size) / 2);
    const top = Math.floor((info.height - size) / 2);
    out = await sharp(data, { raw: { width: info.width, height: info.height, channels: 3 } }).extract({ left, top, width: size, height: size }).raw().toBuffer();
  } else if (scale < 1) {
    const side = Math.round(size * scale);
    const before = Math.floor((size - side) / 2);
    const after = size - side - before;
    out = await sharp(rgb, input).resize(side, side, { kernel: 'cubic' }).extend({ top: before, left: before, bottom: after, right: after, background: PAD }).raw().toBuffer();
  } else {
    const side = Math.round(size / scale);
    const offset = Math.round((size - side) / 2);
    out = await sharp(rgb, input).extract({ left: offset, top: offset, width: side, height: side }).resize(size, size, { kernel: 'cubic' }).raw().toBuffer();
  }
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

/** RGB bytes (size² × 3) → NHWC floats in [0, 1], written into `out` at image slot `slot`. */
export function writeView(rgb: Uint8Array, view: PixelView, out: Float32Array, slot: number, size = INPUT_SIZE): void {
  const base = slot * size * size * 3;
  const k = 1 / 255;
  // Runs for every view of every image: no allocation per pixel (halved its cost to ≈ 1 ms at 448²).
  for (let y = 0; y < size; y++) {
    const row = y * size * 3;
    for (let x = 0; x < size; x++) {
      const src = row + (view === 'flip' ? size - 1 - x : x) * 3;
      const dst = base + row + x * 3;
      const r = rgb[src]! * k;
      const g = rgb[src + 1]! * k;
      const b = rgb[src + 2]! * k;
      switch (view) {
        case 'invert':
          out[dst] = 1 - r;
          out[dst + 1] = 1 - g;
          out[dst + 2] = 1 - b;
          break;
        case 'gray':
          out[dst] = out[dst + 1] = out[dst + 2] = 0.299 * r + 0.587 * g + 0.114 * b;
          break;
        case 'perm':
          out[dst] = b;
          out[dst + 1] = r;
          out[dst + 2] = g;
          break;
        default:
          out[dst] = r;
          out[dst + 1] = g;
          out[dst + 2] = b;
      }
    }
  }
}
