export interface GateVerdict {
  passed: boolean;
  reason?: string;
}

const fmt = (n: number) => n.toFixed(3);

/** The deployment gate: F1 at least the operator's minimum, read when the gate runs. */
export function gateVerdict(f1: number, minimumF1: number): GateVerdict {
  if (!Number.isFinite(f1)) return { passed: false, reason: 'the model service reported no usable F1' };
  if (f1 >= minimumF1) return { passed: true };
  return { passed: false, reason: `F1 ${fmt(f1)} is below Minimum-F1-Score ${fmt(minimumF1)}` };
}
