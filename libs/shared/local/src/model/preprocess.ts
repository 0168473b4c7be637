import sharp from 'sharp';
import { RelabelError } from '@relabel/contracts';

/** MobileNetV2's native input side (the size its ImageNet weights were trained at). */
export const NATIVE_SIZE = 224;
/**
 * Side of the square the backbone sees. The converted graph is fully convolutional up to its global
 * pooling, so it runs at 448 too, where marks covering 20–70% of the shorter side of a wide frame
 * are still large enough for the network: on the bench's logos-in-the-wild set this lifted macro-F1
 * from 0.57 to 0.75 at 15 images/label, for ~4× the compute of 224.
 */
export const INPUT_SIZE = 448;
/** Letterbox fill: mid grey, i.e. 0.5 after [0, 1] scaling, neutral for the backbone. */
const PAD = { r: 128, g: 128, b: 128 };
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
 * Decodes, auto-orients and letterboxes the whole image into INPUT_SIZE² RGB bytes. Letterboxing
 * (not squashing) keeps the aspect of marks identical between training and serving.
 */
export async function letterbox(bytes: Buffer, size = INPUT_SIZE): Promise<Uint8Array> {
  if (bytes.length === 0) throw new RelabelError('IMAGE_EMPTY');
  if (!sniffFormat(bytes)) throw new RelabelError('IMAGE_UNSUPPORTED_TYPE');
  try {
    const { data, info } = await sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error', sequentialRead: true })
      .rotate()
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

/** A view of a letterboxed image fed to the backbone. */
export type View = 'whole' | 'flip' | 'zoom';

/** RGB bytes (size² × 3) → NHWC floats in [0, 1], written into `out` at image slot `slot`. */
export function writeView(rgb: Uint8Array, view: View, out: Float32Array, slot: number, size = INPUT_SIZE): void {
  const base = slot * size * size * 3;
  // "zoom" is a centre crop of 80% scaled back up (nearest), a cheap scale augmentation (unused by
  // default: it cuts off marks near the border, which cost F1 on off-centre logos).
  const zoom = view === 'zoom' ? 0.8 : 1;
  const offset = ((1 - zoom) * size) / 2;
  for (let y = 0; y < size; y++) {
    const sy = view === 'zoom' ? Math.min(size - 1, Math.floor(offset + y * zoom)) : y;
    for (let x = 0; x < size; x++) {
      let sx = view === 'zoom' ? Math.min(size - 1, Math.floor(offset + x * zoom)) : x;
      if (view === 'flip') sx = size - 1 - x;
      const src = (sy * size + sx) * 3;
      const dst = base + (y * size + x) * 3;
      out[dst] = rgb[src]! / 255;
      out[dst + 1] = rgb[src + 1]! / 255;
      out[dst + 2] = rgb[src + 2]! / 255;
    }
  }
}
