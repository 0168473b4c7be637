import type { ParameterIssue } from '@relabel/platform';

export interface ActiveInvalidValue extends ParameterIssue {
  since: string;
}

export interface SeenInvalidValue extends ActiveInvalidValue {
  clearedAt?: string;
}

/**
 * Tracks stored values that are not in force: which are active now (shown in `/status`), which
 * appeared or cleared since the last look (notified once each), and a short record of those seen.
 */
export class InvalidValueMonitor {
  private readonly active = new Map<string, ActiveInvalidValue>();
  private readonly seen: SeenInvalidValue[] = [];

  constructor(private readonly keep = 50) {}

  update(issues: ParameterIssue[], at: string): { appeared: ParameterIssue[]; cleared: ActiveInvalidValue[] } {
    const appeared: ParameterIssue[] = [];
    const cleared: ActiveInvalidValue[] = [];
    const now = new Map(issues.map((i) => [i.name, i]));
    for (const [name, prev] of this.active) {
      const next = now.get(prev.name);
      if (next && next.value === prev.value) {
        // same bad value; what stays in force may still have moved (it cannot, but keep it exact)
        prev.inForce = next.inForce;
        continue;
      }
      this.active.delete(name);
      const record = this.seen.find((s) => s.name === prev.name && s.since === prev.since && !s.clearedAt);
      if (record) record.clearedAt = at;
      if (!next) cleared.push(prev);
    }
    for (const issue of issues) {
      if (this.active.has(issue.name)) continue;
      const entry = { ...issue, since: at };
      this.active.set(issue.name, entry);
      this.seen.unshift({ ...entry });
      appeared.push(issue);
    }
    this.seen.splice(this.keep);
    return { appeared, cleared };
  }

  current(): ActiveInvalidValue[] {
    return [...this.active.values()].map((v) => ({ ...v }));
  }

  recent(): SeenInvalidValue[] {
    return this.seen.map((v) => ({ ...v }));
  }
}
