import { createHash } from 'crypto';

const MARK = /^relabel source=(\S{1,200}) value-sha256=([0-9a-f]{16})$/;

const digest = (value: string) => createHash('sha256').update(value).digest('hex').slice(0, 16);

/**
 * SSM keeps each version's Description in its history, so the store writes who made the change
 * there, bound to a digest of the value: a later edit made around the store (console, CLI) that
 * keeps the old description cannot pass for ours.
 */
export function sourceDescription(source: string, value: string): string {
  return `relabel source=${source.replace(/\s+/g, '_').slice(0, 200)} value-sha256=${digest(value)}`;
}

/** `api:…` for our own writes; `out-of-band` (with the IAM identity SSM recorded) for anything else. */
export function sourceOf(description: string | undefined, value: string, user: string | undefined): string {
  const match = description ? MARK.exec(description) : null;
  if (match && match[2] === digest(value)) return match[1]!;
  return user ? `out-of-band (${user})` : 'out-of-band';
}
