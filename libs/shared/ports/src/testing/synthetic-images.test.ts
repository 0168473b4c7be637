import sharp from 'sharp';
import { makeSyntheticImages } from './synthetic-images';

describe('makeSyntheticImages', () => {
  it('makes decodable JPEGs, perLabel per label, deterministic by seed', async () => {
    const options = { labels: ['a', 'b', 'c'], perLabel: 2, seed: 7 };
    const first = await makeSyntheticImages(options);
    const again = await makeSyntheticImages(options);
    expect(first.map((i) => i.label)).toEqual(['a', 'a', 'b', 'b', 'c', 'c']);
    expect(new Set(first.map((i) => i.file)).size).toBe(6);
    first.forEach((image, n) => expect(image.body.equals(again[n]!.body)).toBe(true));
    const meta = await sharp(first[0]!.body).metadata();
    expect(meta.format).toBe('jpeg');
    const other = await makeSyntheticImages({ ...options, seed: 8 });
    expect(other[0]!.body.equals(first[0]!.body)).toBe(false);
  });

  it('honours a fixed size and PNG format', async () => {
    const [image] = await makeSyntheticImages({ labels: ['x'], perLabel: 1, seed: 1, width: 200, height: 100, format: 'png' });
    const meta = await sharp(image!.body).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 200, 100]);
    expect(image!.file).toBe('x-0.png');
  });
});
