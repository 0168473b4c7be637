import { createHash, randomBytes } from 'crypto';

/**
 * Run ids sort by creation time and are valid model version names (Rekognition allows
 * `[a-zA-Z0-9_.-]`) and BullMQ job ids (no `:`). A training run's model version is its id.
 */
export function newRunId(kind: 'training' | 'deploy', now: Date): string {
  return formatRunId(kind, now, randomBytes(3).toString('hex'));
}

/** The same id every time for one source (e.g. a scheduled poll job retried after a crash). */
export function runIdFor(kind: 'training' | 'deploy', at: Date, source: string): string {
  return formatRunId(kind, at, createHash('sha256').update(source).digest('hex').slice(0, 6));
}

function formatRunId(kind: 'training' | 'deploy', at: Date, suffix: string): string {
  const stamp = at.toISOString().replace(/[-:.]/g, '');
  return `${kind === 'training' ? 't' : 'd'}-${stamp}-${suffix}`;
}

/** The creation-time part, for ordering training and deploy runs together. */
export function runSortKey(id: string): string {
  return id.slice(2);
}

/** A training run's versions are its id, or `<id>-<n>` when training was retried; anything else is not ours. */
export function runIdOfVersion(version: string): string | null {
  const match = /^(t-[0-9]{8}T[0-9]{9}Z-[0-9a-f]{6})(-[0-9]+)?$/.exec(version);
  return match ? match[1]! : null;
}
