import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { InferenceLimiter } from '../domain/inference-limiter';

export type DetectionSource = 'api' | 'event';

/** Detector metrics on the app's registry: outcomes, latency and the state of backpressure. */
export function createDetectionMetrics(registry: Registry, limiter: Pick<InferenceLimiter, 'stats'>) {
  const detections = new Counter({
    name: 'relabel_detections_total',
    help: 'Detections by input path and outcome (ok, no_model, skipped, duplicate, rejected, busy, error)',
    labelNames: ['source', 'status'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'relabel_detection_duration_seconds',
    help: 'Time to finish one detection, validation and inference included',
    labelNames: ['source', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const captures = new Counter({
    name: 'relabel_review_captures_total',
    help: 'Images sent to review, by reason (no_model, low_confidence, audit, manual) and outcome (opened, reused, cap_reached)',
    labelNames: ['reason', 'outcome'],
    registers: [registry],
  });
  new Gauge({
    name: 'relabel_detection_inference_slots',
    help: 'Inference slots: running, waiting for a slot, HTTP requests admitted',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const s = limiter.stats();
      this.set({ state: 'running' }, s.active);
      this.set({ state: 'waiting' }, s.waiting);
      this.set({ state: 'admitted' }, s.admitted);
    },
  });
  return {
    /** Starts a timer; call the result with the outcome's status. */
    start(source: DetectionSource): (status: string) => void {
      const end = duration.startTimer({ source });
      return (status) => {
        detections.inc({ source, status });
        end({ status });
      };
    },
    count(source: DetectionSource, status: string): void {
      detections.inc({ source, status });
    },
    captured(review: { reason: string; outcome: string }): void {
      captures.inc({ reason: review.reason, outcome: review.outcome });
    },
  };
}

export type DetectionMetrics = ReturnType<typeof createDetectionMetrics>;
