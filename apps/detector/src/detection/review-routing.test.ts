import { decideReview, Inference } from './review-routing';

const params = (threshold: number, enabled = true) => ({ 'Minimum-Label-Detection-Confidence': threshold, 'Enable-A2I-Workflow': enabled });
const ok = (...confidences: number[]): Inference => ({
  status: 'ok',
  modelVersion: 'v1',
  labels: confidences.map((confidence, i) => ({ name: `l${i}`, confidence })),
});

describe('decideReview', () => {
  it('sends a top confidence strictly below the threshold to review', () => {
    expect(decideReview(params(70), ok(69.99, 10))).toEqual({ threshold: 70, passed: false, review: true });
    expect(decideReview(params(70), ok(70, 10))).toEqual({ threshold: 70, passed: true, review: false });
    expect(decideReview(params(70), ok(95))).toMatchObject({ passed: true, review: false });
  });

  it('sends everything to review at 100 unless the model is certain, and nothing when A2I is off', () => {
    expect(decideReview(params(100), ok(99.9))).toMatchObject({ passed: false, review: true });
    expect(decideReview(params(100, false), ok(5))).toEqual({ threshold: 100, passed: false, review: false });
  });

  it('reviews a detection without labels or without a model when enabled', () => {
    expect(decideReview(params(50), ok())).toMatchObject({ passed: false, review: true });
    const noModel: Inference = { status: 'no_model', modelVersion: null, labels: [] };
    expect(decideReview(params(0), noModel)).toMatchObject({ passed: false, review: true });
    expect(decideReview(params(0, false), noModel)).toMatchObject({ passed: false, review: false });
  });
});
