import { detectionIdFor, imageKeyForDetectionId } from './detection-id';
import { isValidHumanLoopName } from '@relabel/contracts';
import { humanLoopNameFor } from './human-loop-name';

describe('detection ids', () => {
  it('round-trip image keys, nested and unicode ones included', () => {
    for (const key of ['images_for_detection/a.jpg', 'images_for_detection/cam 1/2024/ünï.png']) {
      const id = detectionIdFor(key);
      expect(id).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(imageKeyForDetectionId(id)).toBe(key);
    }
  });

  it('refuse ids that decode to traversal, control characters or nothing', () => {
    const enc = (s: string) => Buffer.from(s).toString('base64url');
    expect(imageKeyForDetectionId(enc('../secrets.json'))).toBeNull();
    expect(imageKeyForDetectionId(enc('a/../../b.jpg'))).toBeNull();
    expect(imageKeyForDetectionId(enc('a\u0000b.jpg'))).toBeNull();
    expect(imageKeyForDetectionId(enc('a//b.jpg'))).toBeNull();
    expect(imageKeyForDetectionId('not base64!')).toBeNull();
    expect(imageKeyForDetectionId('')).toBeNull();
  });
});

describe('human loop names', () => {
  it('are A2I-valid, bounded and derived from the image content only', () => {
    const contents = [Buffer.from('a'), Buffer.alloc(0), Buffer.from([0xff, 0xd8, 0xff, 0x00]), Buffer.alloc(100_000, 7)];
    for (const content of contents) {
      const name = humanLoopNameFor(content);
      expect(isValidHumanLoopName(name)).toBe(true);
      expect(humanLoopNameFor(Buffer.from(content))).toBe(name);
    }
    expect(new Set(contents.map(humanLoopNameFor)).size).toBe(contents.length);
    expect(humanLoopNameFor(Buffer.from('a'))).toMatch(/^image-[0-9a-f]{40}$/);
  });
});
