import { isAuditSample } from '@relabel/contracts';
import { decideReview, Inference, RoutingParameters } from './review-routing';

const params = (threshold: number, enabled = true, sampling: Partial<RoutingParameters> = {}): RoutingParameters => ({
  'Minimum-Label-Detection-Confidence': threshold,
  'Enable-A2I-Workflow': enabled,
  'Enable-Human-Sampling': false,
  'Human-Sampling-Rate': 1000,
  ...sampling,
});
const ok = (...confidences: number[]): Inference => ({
  status: 'ok',
  modelVersion: 'v1',
  labels: confidences.map((confidence, i) => ({ name: `l${i}`, confidence })),
});
const image = { imageKey: 'images_for_detection/a.jpg', eTag: 'e1' };

describe('decideReview', () => {
  it('sends a top confidence strictly below the threshold to review', () => {
    expect(decideReview(params(70), ok(69.99, 10), image)).toEqual({ threshold: 70, passed: false, reason: 'low_confidence' });
    expect(decideReview(params(70), ok(70, 10), image)).toEqual({ threshold: 70, passed: true, reason: null });
    expect(decideReview(params(70), ok(95), image)).toMatchObject({ passed: true, reason: null });
  });

  it('sends everything to review at 100 unless the model is certain, and nothing when A2I is off', () => {
    expect(decideReview(params(100), ok(99.9), image)).toMatchObject({ passed: false, reason: 'low_confidence' });
    expect(decideReview(params(100, false), ok(5), image)).toEqual({ threshold: 100, passed: false, reason: null });
  });

  it('reviews a detection without labels or without a model when enabled', () => {
    expect(decideReview(params(50), ok(), image)).toMatchObject({ passed: false, reason: 'low_confidence' });
    const noModel: Inference = { status: 'no_model', modelVersion: null, labels: [] };
    expect(decideReview(params(0), noModel, image)).toMatchObject({ passed: false, reason: 'no_model' });
    expect(decideReview(params(0, false), noModel, image)).toMatchObject({ passed: false, reason: null });
  });

  it('audits the sampled share of confident detections, only when sampling is on, whatever A2I says', () => {
    const images = Array.from({ length: 200 }, (_, i) => ({ imageKey: `images_for_detection/p${i}.jpg`, eTag: `e${i}` }));
    const on = params(70, false, { 'Enable-Human-Sampling': true, 'Human-Sampling-Rate': 5 });
    const audited = images.filter((img) => decideReview(on, ok(95), img).reason === 'audit');
    expect(audited).toEqual(images.filter((img) => isAuditSample(img.imageKey, img.eTag, 5)));
    expect(audited.length).toBeGreaterThan(10);
    expect(audited.length).toBeLessThan(80);
    expect(images.filter((img) => decideReview(params(70, true, { 'Human-Sampling-Rate': 5 }), ok(95), img).reason)).toEqual([]);
    // rate 1 audits every confident detection; a low-confidence one stays low_confidence
    const all = params(70, true, { 'Enable-Human-Sampling': true, 'Human-Sampling-Rate': 1 });
    expect(decideReview(all, ok(95), image)).toEqual({ threshold: 70, passed: true, reason: 'audit' });
    expect(decideReview(all, ok(5), image).reason).toBe('low_confidence');
  });
});
