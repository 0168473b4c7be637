import { auditOutcomeKey, isDrifting, parseAuditOutcomeKey, summarizeAudits, wilsonInterval } from './live-accuracy';

const key = (version: string, predicted: string, hit: boolean, n: number) => auditOutcomeKey({ version, predicted, hit, loop: `image-${n}` });

describe('wilsonInterval', () => {
  it.each([
    [8, 10, 0.4902, 0.9433],
    [0, 20, 0, 0.1611],
    [20, 20, 0.8389, 1],
    [50, 100, 0.4038, 0.5962],
  ])('%i of %i → [%f, %f]', (successes, total, lower, upper) => {
    const interval = wilsonInterval(successes, total);
    expect(interval.lower).toBeCloseTo(lower, 4);
    expect(interval.upper).toBeCloseTo(upper, 4);
  });

  it('knows nothing without observations', () => {
    expect(wilsonInterval(0, 0)).toEqual({ lower: 0, upper: 1 });
  });
});

describe('audit outcome keys', () => {
  it('round-trip, and anything else is not an audit', () => {
    const o = { version: 'v-20260101-abc', predicted: 'cat', hit: false, loop: 'image-0a1b' };
    expect(parseAuditOutcomeKey(auditOutcomeKey(o))).toEqual(o);
    for (const bad of [
      'labeler/audits/v1/cat/hit/loop',
      'labeler/audits/v1/cat/maybe/loop.json',
      'labeler/audits/v1/../hit/loop.json',
      'labeler/audits/v1/cat/hit/x/loop.json',
      'labeler/audits/v1/cat/hit/Loop_Name.json',
      'trainer/runs/x.json',
    ]) {
      expect(parseAuditOutcomeKey(bad)).toBeNull();
    }
  });
});

describe('summarizeAudits', () => {
  it('gives each version and each top label its share, interval and count; None of the Above is a miss', () => {
    const keys = [
      ...Array.from({ length: 8 }, (_, i) => key('v1', 'cat', true, i)),
      ...Array.from({ length: 2 }, (_, i) => key('v1', 'cat', false, 10 + i)),
      key('v1', 'dog', false, 20),
      key('v2', 'dog', true, 30),
      'labeler/audits/v1/not-an-audit.txt',
    ];
    const [v1, v2] = summarizeAudits(keys, 0.8);
    expect(v1).toMatchObject({ version: 'v1', audits: 11, confirmed: 8, drift: { alarm: false, minimumF1Score: 0.8, minimumAudits: 20 } });
    expect(v1!.accuracy).toBeCloseTo(8 / 11, 10);
    expect(v1!.perLabel.map((l) => [l.label, l.confirmed, l.audits])).toEqual([
      ['cat', 8, 10],
      ['dog', 0, 1],
    ]);
    expect(v1!.perLabel[0]!.lower).toBeCloseTo(0.4902, 4);
    expect(v2).toMatchObject({ version: 'v2', audits: 1, confirmed: 1, accuracy: 1 });
  });

  it('raises drift only with at least 20 audits whose upper bound is below the F1 bar', () => {
    const wrong = (n: number, hits: number) => Array.from({ length: n }, (_, i) => key('v1', 'cat', i < hits, i));
    expect(summarizeAudits(wrong(19, 0), 0.8)[0]!.drift.alarm).toBe(false);
    expect(summarizeAudits(wrong(20, 0), 0.8)[0]!.drift.alarm).toBe(true);
    // 15 of 20 confirmed: upper bound 0.89 is above 0.8, so no alarm though the share is 0.75
    expect(summarizeAudits(wrong(20, 15), 0.8)[0]!.drift.alarm).toBe(false);
    expect(summarizeAudits(wrong(20, 15), 0.95)[0]!.drift.alarm).toBe(true);
    expect(isDrifting({ audits: 40, upper: 0.8 }, 0.8)).toBe(false);
  });
});
