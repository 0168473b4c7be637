import { Type, type Static } from '@sinclair/typebox';
import { isValidHumanLoopName } from './human-loop-output';
import { isValidLabel } from './labels';

/**
 * Answered audits, one object each, written only by the labeler:
 * `labeler/audits/<version>/<model's top label>/<hit|miss>/<loop>.json`. The outcome is in the key,
 * so live accuracy is a listing (no reads), survives a Redis flush, and two labeler workers never
 * race on a shared counter; a replayed output rewrites its own key, never counts twice.
 */
export const AUDITS_PREFIX = 'labeler/audits/';
/** `labeler/drift-alarms/<version>.json`: the drift alarm of a version was sent (sent once). */
export const DRIFT_ALARMS_PREFIX = 'labeler/drift-alarms/';
/** apps/labeler/README.md, "Audits": a drift alarm needs at least this many audits of the version. */
export const DRIFT_MIN_AUDITS = 20;

const VERSION_RE = /^[A-Za-z0-9_.-]{1,255}$/;

export interface AuditObservation {
  version: string;
  /** the model's top label for the audited image */
  predicted: string;
  /** the reviewer confirmed the model's top label (`None of the Above` is a miss) */
  hit: boolean;
  loop: string;
}

export function auditOutcomeKey(o: AuditObservation): string {
  return `${AUDITS_PREFIX}${o.version}/${o.predicted}/${o.hit ? 'hit' : 'miss'}/${o.loop}.json`;
}

/** The observation a key stands for, or null for anything that is not one (never trusted blindly). */
export function parseAuditOutcomeKey(key: string): AuditObservation | null {
  if (!key.startsWith(AUDITS_PREFIX) || !key.endsWith('.json')) return null;
  const parts = key.slice(AUDITS_PREFIX.length, -'.json'.length).split('/');
  if (parts.length !== 4) return null;
  const [version, predicted, outcome, loop] = parts as [string, string, string, string];
  if (!VERSION_RE.test(version) || !isValidLabel(predicted) || !isValidHumanLoopName(loop)) return null;
  if (outcome !== 'hit' && outcome !== 'miss') return null;
  return { version, predicted, hit: outcome === 'hit', loop };
}

/** Where the audits of one version (or of all versions) are listed. */
export function auditsPrefix(version?: string): string {
  return version ? `${AUDITS_PREFIX}${version}/` : AUDITS_PREFIX;
}

export function driftAlarmKey(version: string): string {
  return `${DRIFT_ALARMS_PREFIX}${version}.json`;
}

/**
 * Wilson score interval (95 % by default) of a proportion: unlike the plain ± interval it stays
 * inside [0, 1] and is honest for small counts and for shares near 0 or 1, which is what a few dozen
 * audits of a good model give.
 */
export function wilsonInterval(successes: number, total: number, z = 1.959963984540054): { lower: number; upper: number } {
  if (total === 0) return { lower: 0, upper: 1 };
  const p = successes / total;
  const z2 = z * z;
  const centre = p + z2 / (2 * total);
  const spread = z * Math.sqrt((p * (1 - p)) / total + z2 / (4 * total * total));
  const denominator = 1 + z2 / total;
  return { lower: Math.max(0, (centre - spread) / denominator), upper: Math.min(1, (centre + spread) / denominator) };
}

const ShareSchema = {
  audits: Type.Integer({ minimum: 0, description: 'answered audits behind the figure' }),
  confirmed: Type.Integer({ minimum: 0, description: "audits whose top label the reviewer confirmed" }),
  accuracy: Type.Number({ minimum: 0, maximum: 1 }),
  lower: Type.Number({ minimum: 0, maximum: 1, description: 'Wilson 95 % interval, lower bound' }),
  upper: Type.Number({ minimum: 0, maximum: 1, description: 'Wilson 95 % interval, upper bound' }),
};

export const LiveAccuracySchema = Type.Object({
  version: Type.String(),
  ...ShareSchema,
  perLabel: Type.Array(Type.Object({ label: Type.String(), ...ShareSchema })),
  drift: Type.Object({
    alarm: Type.Boolean({ description: `upper bound < Minimum-F1-Score with at least ${DRIFT_MIN_AUDITS} audits` }),
    minimumF1Score: Type.Number(),
    minimumAudits: Type.Integer(),
  }),
});
export type LiveAccuracy = Static<typeof LiveAccuracySchema>;

function share(confirmed: number, audits: number) {
  const { lower, upper } = wilsonInterval(confirmed, audits);
  return { audits, confirmed, accuracy: audits ? confirmed / audits : 0, lower, upper };
}

/** The drift rule (apps/labeler/README.md, "Audits"), on one version's figures. */
export function isDrifting(accuracy: Pick<LiveAccuracy, 'audits' | 'upper'>, minimumF1Score: number): boolean {
  return accuracy.audits >= DRIFT_MIN_AUDITS && accuracy.upper < minimumF1Score;
}

/** "live accuracy 40.0 % over 20 audits, 95 % interval 21.9 %–61.3 %, is below Minimum-F1-Score 0.8" */
export function describeDrift(a: LiveAccuracy): string {
  const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
  return `live accuracy ${pct(a.accuracy)} over ${a.audits} audits, 95 % interval ${pct(a.lower)}–${pct(a.upper)}, is below Minimum-F1-Score ${a.drift.minimumF1Score}`;
}

/** Live accuracy per version (and per top label) from the audit keys; versions in name order. */
export function summarizeAudits(keys: Iterable<string>, minimumF1Score: number): LiveAccuracy[] {
  const byVersion = new Map<string, Map<string, { confirmed: number; audits: number }>>();
  for (const key of keys) {
    const o = parseAuditOutcomeKey(key);
    if (!o) continue;
    const labels = byVersion.get(o.version) ?? new Map<string, { confirmed: number; audits: number }>();
    byVersion.set(o.version, labels);
    const counts = labels.get(o.predicted) ?? { confirmed: 0, audits: 0 };
    labels.set(o.predicted, counts);
    counts.audits++;
    if (o.hit) counts.confirmed++;
  }
  return [...byVersion.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([version, labels]) => {
      const perLabel = [...labels.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([label, c]) => ({ label, ...share(c.confirmed, c.audits) }));
      const total = share(
        perLabel.reduce((n, l) => n + l.confirmed, 0),
        perLabel.reduce((n, l) => n + l.audits, 0),
      );
      return {
        version,
        ...total,
        perLabel,
        drift: { alarm: isDrifting(total, minimumF1Score), minimumF1Score, minimumAudits: DRIFT_MIN_AUDITS },
      };
    });
}

/** `summarizeAudits` over a listing, e.g. `listAllObjects(store, auditsPrefix(version))`. */
export async function summarizeAuditListing(objects: AsyncIterable<{ key: string }>, minimumF1Score: number): Promise<LiveAccuracy[]> {
  const keys: string[] = [];
  for await (const o of objects) keys.push(o.key);
  return summarizeAudits(keys, minimumF1Score);
}
