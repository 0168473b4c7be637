/**
 * Keeps two labeler workers that see the same drifting version at the same moment from both
 * raising its alarm. The durable "sent" marker is in the object store; this only covers the seconds
 * between checking it and writing it.
 */
export interface DriftAlarmGuard {
  /** true for exactly one caller per version while the claim lasts */
  claim(version: string): Promise<boolean>;
  /** gives the claim up after a failed notification, so the retry can raise the alarm */
  release(version: string): Promise<void>;
}
