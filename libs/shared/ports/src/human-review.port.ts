import { Type, type Static } from '@sinclair/typebox';

/** The statuses of a human loop, listed once here (the schema also serves HTTP and stored records). */
export const HumanLoopStatusSchema = Type.Union([Type.Literal('pending'), Type.Literal('completed'), Type.Literal('failed'), Type.Literal('stopped')]);
export type HumanLoopStatus = Static<typeof HumanLoopStatusSchema>;
export const HUMAN_LOOP_STATUSES: readonly HumanLoopStatus[] = HumanLoopStatusSchema.anyOf.map((s) => s.const);

export interface HumanLoopStart {
  /** A2I-valid: `^[a-z0-9](-*[a-z0-9])*$`, at most 63 characters. */
  name: string;
  imageKey: string;
  /** the model's best guess, shown to reviewers as a hint */
  guess: { label: string; confidence: number } | null;
  /**
   * The choices to offer (apps/labeler/README.md, "Categories"), for review services that cannot compute them (A2I's worker
   * template shows what the loop's input carries; `None of the Above` is always added). The local
   * review page computes its own and ignores this.
   */
  categories?: string[];
}

export const HumanLoopAnswerSchema = Type.Object({
  /** the winning label (majority of the answers), or `None of the Above` */
  label: Type.String(),
  /** how many reviewers answered */
  answerCount: Type.Integer(),
  answeredAt: Type.String(),
});
export type HumanLoopAnswer = Static<typeof HumanLoopAnswerSchema>;

/** One human loop; the schema is also what the HTTP APIs and the local loop records use. */
export const HumanLoopSchema = Type.Object({
  name: Type.String(),
  status: HumanLoopStatusSchema,
  imageKey: Type.String(),
  /** the model's best guess, shown to reviewers as a hint */
  guess: Type.Union([Type.Object({ label: Type.String(), confidence: Type.Number() }), Type.Null()]),
  createdAt: Type.String(),
  completedAt: Type.Optional(Type.String()),
  failureReason: Type.Optional(Type.String()),
  /** where the A2I-format output.json was written, once completed */
  outputKey: Type.Optional(Type.String()),
  /** the reviewers' final answer once completed: a label or `None of the Above` */
  answer: Type.Optional(HumanLoopAnswerSchema),
});
export type HumanLoop = Static<typeof HumanLoopSchema>;

/**
 * Human review (A2I, or the local review service). Results arrive as output files in the object
 * store (docs/architecture.md, flow D), not through this interface.
 */
export interface HumanReview {
  /** Idempotent by name: starting an existing loop returns it with `created: false`. */
  startHumanLoop(input: HumanLoopStart): Promise<{ loop: HumanLoop; created: boolean }>;
  describeHumanLoop(name: string): Promise<HumanLoop | null>;
  listHumanLoops(options?: { status?: HumanLoopStatus; cursor?: string; limit?: number }): Promise<{ items: HumanLoop[]; nextCursor?: string }>;
}
