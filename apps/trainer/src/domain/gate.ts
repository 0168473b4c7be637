import type { Evaluation, Gate } from './training-run.schema';

/**
 * The deployment gate, the trainer's central rule: a trained version is deployed only when its
 * macro-F1 on its own test split reaches the operator's Minimum-F1-Score, read when the gate runs.
 * The live model's score on the same images (the champion) is recorded beside it, for the operator;
 * it never decides.
 */
export interface GateVerdict {
  passed: boolean;
  reason?: string;
}

export interface GateInput {
  minimumF1: number;
  challenger: { version: string; evaluation: Evaluation };
  /** the live version scored on the challenger's test manifest, or why it could not be */
  champion?: NonNullable<Gate['champion']>;
}

export interface GateDecision {
  /** what the run records */
  gate: Gate;
  /** one line for the run's gate step */
  detail: string;
}

const fmt = (n: number) => n.toFixed(3);

export function gateVerdict(f1: number, minimumF1: number): GateVerdict {
  if (!Number.isFinite(f1)) return { passed: false, reason: 'the model service reported no usable F1' };
  if (f1 >= minimumF1) return { passed: true };
  return { passed: false, reason: `F1 ${fmt(f1)} is below Minimum-F1-Score ${fmt(minimumF1)}` };
}

export function decideGate({ minimumF1, challenger, champion }: GateInput): GateDecision {
  const verdict = gateVerdict(challenger.evaluation.f1, minimumF1);
  const gate: Gate = {
    minimumF1,
    passed: verdict.passed,
    ...(verdict.reason ? { reason: verdict.reason } : {}),
    challenger,
    ...(champion ? { champion } : {}),
  };
  const live = champion?.evaluation ? `; live ${champion.version} scores ${fmt(champion.evaluation.f1)}` : '';
  return { gate, detail: `F1 ${fmt(challenger.evaluation.f1)} vs minimum ${minimumF1}${live}` };
}
