import { detectionsPerHour } from './detection-rates';

describe('detectionsPerHour', () => {
  const now = new Date('2026-12-01T10:30:00Z');
  const at = (iso: string, review = false) => ({ detectedAt: iso, humanLoop: review ? { name: 'l' } : null, passed: !review });

  it('counts per hour, oldest first, with the share sent to review, and leaves out older ones', () => {
    const buckets = detectionsPerHour([at('2026-12-01T10:01:00Z'), at('2026-12-01T10:29:59Z', true), at('2026-12-01T08:00:00Z', true), at('2026-11-30T10:59:00Z'), at('2026-11-29T10:00:00Z')], now, 24);
    expect(buckets).toHaveLength(24);
    expect(buckets[0]).toEqual({ hour: '2026-11-30T11:00:00.000Z', detections: 0, sentToReview: 0 });
    expect(buckets[23]).toEqual({ hour: '2026-12-01T10:00:00.000Z', detections: 2, sentToReview: 1 });
    expect(buckets[21]).toEqual({ hour: '2026-12-01T08:00:00.000Z', detections: 1, sentToReview: 1 });
    expect(buckets.reduce((n, b) => n + b.detections, 0)).toBe(3);
  });
});
