import { detectionIdFor, imageKeyForDetectionId } from './detection-id';
import { HUMAN_LOOP_NAME_MAX, HUMAN_LOOP_NAME_RE, humanLoopNameFor } from './human-loop-name';

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
  it('are A2I-valid, bounded and deterministic per key and eTag', () => {
    const keys = [
      'images_for_detection/photo.jpg',
      'images_for_detection/--Weird Name__With ÜMLAUTS and a very very long tail indeed--.PNG',
      'images_for_detection/---.jpg',
      'images_for_detection/a/b/c/0.png',
    ];
    for (const key of keys) {
      const name = humanLoopNameFor(key, 'etag-1');
      expect(name).toMatch(HUMAN_LOOP_NAME_RE);
      expect(name.length).toBeLessThanOrEqual(HUMAN_LOOP_NAME_MAX);
      expect(humanLoopNameFor(key, 'etag-1')).toBe(name);
      expect(humanLoopNameFor(key, 'etag-2')).not.toBe(name);
    }
    expect(humanLoopNameFor('images_for_detection/photo.jpg', 'e')).toMatch(/^photo-[0-9a-f]{24}$/);
  });
});
