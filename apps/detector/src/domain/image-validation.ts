import sharp from 'sharp';
import { RelabelError } from '@relabel/contracts';

export type ImageFormat = 'jpeg' | 'png';

export interface ImageLimits {
  /** bytes; bigger bodies are refused before any decoding */
  maxBytes: number;
  /** width × height; anything bigger is a decompression bomb and is refused from its header */
  maxPixels: number;
}

export interface ValidImage {
  format: ImageFormat;
  contentType: 'image/jpeg' | 'image/png';
  extension: '.jpg' | '.png';
  width: number;
  height: number;
  bytes: Buffer;
}

const startsWith = (bytes: Buffer, sig: number[], at = 0) => sig.every((b, i) => bytes[at + i] === b);

/** Formats we recognise only to name them in the refusal ("GIF is not supported" beats "not an image"). */
const OTHER_FORMATS: Array<[string, (b: Buffer) => boolean]> = [
  ['GIF', (b) => startsWith(b, [0x47, 0x49, 0x46, 0x38])],
  ['WebP', (b) => startsWith(b, [0x52, 0x49, 0x46, 0x46]) && startsWith(b, [0x57, 0x45, 0x42, 0x50], 8)],
  ['TIFF', (b) => startsWith(b, [0x49, 0x49, 0x2a, 0x00]) || startsWith(b, [0x4d, 0x4d, 0x00, 0x2a])],
  ['BMP', (b) => startsWith(b, [0x42, 0x4d])],
  ['HEIF/AVIF', (b) => startsWith(b, [0x66, 0x74, 0x79, 0x70], 4)],
  ['PDF', (b) => startsWith(b, [0x25, 0x50, 0x44, 0x46])],
  ['SVG/XML', (b) => /^\s*<(\?xml|svg)/i.test(b.subarray(0, 64).toString('latin1'))],
];

/** The format from the magic bytes, never from a file name or a Content-Type header. */
export function sniffImageFormat(bytes: Buffer): ImageFormat | null {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  return null;
}

function refuseUnsupported(bytes: Buffer): never {
  const other = OTHER_FORMATS.find(([, test]) => test(bytes));
  throw new RelabelError(
    'IMAGE_UNSUPPORTED_TYPE',
    other ? `${other[0]} images are not supported; send a JPEG or PNG` : 'the body is not a JPEG or PNG image',
  );
}

/**
 * Checks an untrusted image before anything is stored or a model sees it, cheapest test first:
 * size, magic bytes, header dimensions (so a decompression bomb is refused before decoding), then a
 * full decode bounded by `limitInputPixels` that catches truncated and corrupt data. Every refusal is
 * a coded RelabelError (IMAGE_*); no other error escapes.
 */
export async function validateImage(bytes: Buffer, limits: ImageLimits): Promise<ValidImage> {
  if (bytes.length === 0) throw new RelabelError('IMAGE_EMPTY', 'the image is empty (0 bytes)');
  if (bytes.length > limits.maxBytes) {
    throw new RelabelError('IMAGE_TOO_LARGE', `the image is ${bytes.length} bytes; the limit is ${limits.maxBytes}`, {
      limit: limits.maxBytes,
    });
  }
  const format = sniffImageFormat(bytes);
  if (!format) refuseUnsupported(bytes);

  let width: number | undefined;
  let height: number | undefined;
  let decodedFormat: string | undefined;
  try {
    // limitInputPixels off here: the header must be readable to say *why* a bomb is refused.
    const meta = await sharp(bytes, { limitInputPixels: false }).metadata();
    ({ width, height } = meta);
    decodedFormat = meta.format;
  } catch (err) {
    throw new RelabelError('IMAGE_CORRUPT', `the ${format.toUpperCase()} header cannot be read`, undefined, { cause: err });
  }
  if (decodedFormat !== format || !width || !height) {
    throw new RelabelError('IMAGE_CORRUPT', `the ${format.toUpperCase()} header is invalid`);
  }
  if (width * height > limits.maxPixels) {
    throw new RelabelError(
      'IMAGE_DIMENSIONS',
      `the image is ${width}×${height} (${width * height} pixels); the limit is ${limits.maxPixels} pixels`,
      { width, height, maxPixels: limits.maxPixels },
    );
  }
  try {
    // Shrink-on-load keeps this cheap while still reading every scan, so truncation shows up.
    await sharp(bytes, { limitInputPixels: limits.maxPixels, failOn: 'warning', sequentialRead: true })
      .resize(8, 8, { fit: 'fill', fastShrinkOnLoad: true })
      .raw()
      .toBuffer();
  } catch (err) {
    throw new RelabelError('IMAGE_CORRUPT', `the ${format.toUpperCase()} data is truncated or corrupt`, undefined, {
      cause: err,
    });
  }
  return format === 'jpeg'
    ? { format, contentType: 'image/jpeg', extension: '.jpg', width, height, bytes }
    : { format, contentType: 'image/png', extension: '.png', width, height, bytes };
}
