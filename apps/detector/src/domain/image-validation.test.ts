import { isRelabelError } from '@relabel/contracts';
import { validateImage, sniffImageFormat } from './image-validation';
import { makeGif, makeJpeg, makePng, makeWebp, withJpegDimensions, withPngDimensions } from '../testing/image-fixtures';

const limits = { maxBytes: 1024 * 1024, maxPixels: 4_000_000 };

async function codeOf(bytes: Buffer, l = limits): Promise<string> {
  try {
    await validateImage(bytes, l);
    return 'VALID';
  } catch (err) {
    if (!isRelabelError(err)) throw err;
    return err.code;
  }
}

describe('validateImage', () => {
  it('accepts a JPEG and a PNG and reports their format and size', async () => {
    const jpeg = await validateImage(await makeJpeg(64, 48), limits);
    expect(jpeg).toMatchObject({ format: 'jpeg', contentType: 'image/jpeg', extension: '.jpg', width: 64, height: 48 });
    const png = await validateImage(await makePng(30, 20), limits);
    expect(png).toMatchObject({ format: 'png', contentType: 'image/png', extension: '.png', width: 30, height: 20 });
  });

  it('refuses an empty body', async () => {
    expect(await codeOf(Buffer.alloc(0))).toBe('IMAGE_EMPTY');
  });

  it('refuses a body over the byte limit before decoding it', async () => {
    const jpeg = await makeJpeg(64, 48);
    expect(await codeOf(jpeg, { ...limits, maxBytes: jpeg.length - 1 })).toBe('IMAGE_TOO_LARGE');
    expect(await codeOf(jpeg, { ...limits, maxBytes: jpeg.length })).toBe('VALID');
  });

  it('refuses other image formats by name and non-images', async () => {
    await expect(validateImage(await makeGif(), limits)).rejects.toThrow(/GIF images are not supported/);
    await expect(validateImage(await makeWebp(), limits)).rejects.toThrow(/WebP/);
    expect(await codeOf(Buffer.from('{"hello":"world"}'))).toBe('IMAGE_UNSUPPORTED_TYPE');
    expect(await codeOf(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBe('IMAGE_UNSUPPORTED_TYPE');
  });

  it('refuses truncated JPEG and PNG data', async () => {
    const jpeg = await makeJpeg(64, 48);
    const png = await makePng(64, 48);
    expect(await codeOf(jpeg.subarray(0, Math.floor(jpeg.length * 0.6)))).toBe('IMAGE_CORRUPT');
    expect(await codeOf(png.subarray(0, Math.floor(png.length * 0.6)))).toBe('IMAGE_CORRUPT');
    expect(await codeOf(jpeg.subarray(0, 4))).toBe('IMAGE_CORRUPT');
  });

  it('refuses decompression bombs from the header alone', async () => {
    const pngBomb = withPngDimensions(await makePng(16, 16), 30_000, 30_000);
    expect(pngBomb.length).toBeLessThan(10_000);
    await expect(validateImage(pngBomb, limits)).rejects.toMatchObject({ code: 'IMAGE_DIMENSIONS', status: 422 });
    const jpegBomb = withJpegDimensions(await makeJpeg(16, 16), 60_000, 60_000);
    expect(await codeOf(jpegBomb)).toBe('IMAGE_DIMENSIONS');
  });

  it('sniffs the format from bytes only', async () => {
    expect(sniffImageFormat(await makeJpeg())).toBe('jpeg');
    expect(sniffImageFormat(await makePng())).toBe('png');
    expect(sniffImageFormat(Buffer.from('GIF89a'))).toBeNull();
  });
});
