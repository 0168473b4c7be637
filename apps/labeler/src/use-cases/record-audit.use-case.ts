import {
  AuditedDetectionSchema,
  auditOutcomeKey,
  auditsPrefix,
  describeDrift,
  detectionResultKey,
  driftAlarmKey,
  isErrorCode,
  isValid,
  summarizeAuditListing,
  type AuditedDetection,
  type LiveAccuracy,
} from '@relabel/contracts';
import { listAllObjects, type HumanReview, type Logger, type Notifier, type ObjectStore } from '@relabel/ports';
import type { DriftAlarmGuard } from '../domain/drift-alarm-guard';

export interface RecordAuditDeps {
  store: ObjectStore;
  humanReview: Pick<HumanReview, 'describeHumanLoop'>;
  notifier: Notifier;
  guard: DriftAlarmGuard;
  minimumF1Score: () => number;
  logger: Logger;
  now?: () => Date;
}

export type AuditResult =
  | { audit: false }
  | { audit: true; version: string; hit: boolean; accuracy: LiveAccuracy; driftAlarm: 'raised' | 'already-raised' | null };

/**
 * An answered loop that was an audit (`Enable-Human-Sampling`, root README "Operator parameters"; apps/labeler/README.md, "Audits") becomes a live-accuracy observation of
 * the model version that made the detection: a hit when the reviewers gave the model's top label,
 * a miss otherwise (`None of the Above` included). Which loops are audits, and what the model said,
 * is read from the detection record of the loop's image. When the version's live accuracy is
 * confidently below `Minimum-F1-Score` the operator is told once per version.
 */
export async function recordAudit(deps: RecordAuditDeps, answered: { loopName: string; label: string }): Promise<AuditResult> {
  const detection = await auditedDetection(deps, answered.loopName);
  const predicted = detection?.labels[0]?.name;
  if (!detection?.modelVersion || !predicted) return { audit: false };
  const version = detection.modelVersion;
  const hit = answered.label === predicted;
  const observation = { version, predicted, hit, loop: answered.loopName };
  const body = { ...observation, confidence: detection.labels[0]!.confidence, answer: answered.label, imageKey: detection.imageKey, at: (deps.now?.() ?? new Date()).toISOString() };
  await deps.store.put(auditOutcomeKey(observation), Buffer.from(JSON.stringify(body, null, 2)), { contentType: 'application/json' });

  const [accuracy] = await summarizeAuditListing(listAllObjects(deps.store, auditsPrefix(version)), deps.minimumF1Score());
  if (!accuracy) throw new Error(`the audit just written for ${version} is not listed`);
  return { audit: true, version, hit, accuracy, driftAlarm: accuracy.drift.alarm ? await raiseDriftAlarm(deps, accuracy) : null };
}

/** The detection record behind a loop, when the loop was opened as an audit of that detection. */
async function auditedDetection(deps: RecordAuditDeps, loopName: string): Promise<AuditedDetection | null> {
  const loop = await deps.humanReview.describeHumanLoop(loopName);
  if (!loop) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse((await deps.store.get(detectionResultKey(loop.imageKey))).body.toString('utf8'));
  } catch (err) {
    if (isErrorCode(err, 'STORE_NOT_FOUND') || err instanceof SyntaxError) return null;
    throw err;
  }
  if (!isValid(AuditedDetectionSchema, parsed)) return null;
  // A newer version of the image may have replaced the record the loop was opened for.
  return parsed.humanLoop?.name === loopName && parsed.review?.reason === 'audit' ? parsed : null;
}

async function raiseDriftAlarm(deps: RecordAuditDeps, accuracy: LiveAccuracy): Promise<'raised' | 'already-raised'> {
  const marker = driftAlarmKey(accuracy.version);
  if ((await deps.store.head(marker)) || !(await deps.guard.claim(accuracy.version))) return 'already-raised';
  try {
    if (await deps.store.head(marker)) return 'already-raised';
    await deps.notifier.notify({
      channel: 'operator',
      type: 'model.drift',
      subject: `Model ${accuracy.version} is drifting: ${describeDrift(accuracy)}`,
      data: { ...accuracy },
      dedupeId: `drift-${accuracy.version}`,
    });
  } catch (err) {
    await deps.guard.release(accuracy.version).catch(() => undefined);
    throw err;
  }
  const sent = { version: accuracy.version, at: (deps.now?.() ?? new Date()).toISOString(), accuracy };
  await deps.store.put(marker, Buffer.from(JSON.stringify(sent, null, 2)), { contentType: 'application/json' });
  deps.logger.warn({ version: accuracy.version, accuracy: accuracy.accuracy, upper: accuracy.upper, audits: accuracy.audits }, 'drift alarm raised');
  return 'raised';
}
