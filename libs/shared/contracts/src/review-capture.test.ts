import { isAuditSample } from './review-capture';

describe('isAuditSample', () => {
  const keys = Array.from({ length: 1000 }, (_, i) => `images_for_detection/photo-${i}.jpg`);

  it('is deterministic per image version and differs between versions', () => {
    const first = keys.map((k) => isAuditSample(k, 'etag-a', 5));
    expect(keys.map((k) => isAuditSample(k, 'etag-a', 5))).toEqual(first);
    expect(keys.map((k) => isAuditSample(k, 'etag-b', 5))).not.toEqual(first);
  });

  it('samples about one in N', () => {
    const count = (rate: number) => keys.filter((k) => isAuditSample(k, 'etag-a', rate)).length;
    // binomial(1000, 1/5): mean 200, sd 12.6; ±4 sd
    expect(count(5)).toBeGreaterThanOrEqual(150);
    expect(count(5)).toBeLessThanOrEqual(250);
    expect(count(100)).toBeLessThanOrEqual(25);
    expect(count(1)).toBe(1000);
  });

  it('refuses a rate that is not an integer >= 1', () => {
    expect(() => isAuditSample('k', 'e', 0)).toThrow(RangeError);
    expect(() => isAuditSample('k', 'e', 2.5)).toThrow(RangeError);
  });
});

describe('ReviewCaptureSchema', () => {
  it('accepts exactly the listed reasons and outcomes', () => {
    const { isValid, ReviewCaptureSchema, REVIEW_REASONS, CAPTURE_OUTCOMES } = jest.requireActual('./index') as typeof import('./index');
    for (const reason of REVIEW_REASONS) for (const outcome of CAPTURE_OUTCOMES) expect(isValid(ReviewCaptureSchema, { reason, outcome })).toBe(true);
    expect(isValid(ReviewCaptureSchema, { reason: 'whim', outcome: 'opened' })).toBe(false);
    expect(isValid(ReviewCaptureSchema, { reason: 'audit', outcome: 'lost' })).toBe(false);
  });
});
