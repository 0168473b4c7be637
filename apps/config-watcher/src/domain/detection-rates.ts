/** The fields of a detection the console's rates need. */
export interface DetectionSample {
  detectedAt: string;
  humanLoop: { name: string } | null;
  passed: boolean;
}

export interface HourBucket {
  /** start of the hour, ISO */
  hour: string;
  detections: number;
  sentToReview: number;
}

const HOUR_MS = 60 * 60 * 1000;

/** Detections per hour over the last `hours` hours (oldest first), and how many went to review. */
export function detectionsPerHour(samples: DetectionSample[], now: Date, hours = 24): HourBucket[] {
  const currentHour = Math.floor(now.getTime() / HOUR_MS) * HOUR_MS;
  const first = currentHour - (hours - 1) * HOUR_MS;
  const buckets: HourBucket[] = Array.from({ length: hours }, (_, i) => ({ hour: new Date(first + i * HOUR_MS).toISOString(), detections: 0, sentToReview: 0 }));
  for (const s of samples) {
    const index = Math.floor((Date.parse(s.detectedAt) - first) / HOUR_MS);
    const bucket = buckets[index];
    if (!bucket) continue;
    bucket.detections += 1;
    if (s.humanLoop) bucket.sentToReview += 1;
  }
  return buckets;
}
