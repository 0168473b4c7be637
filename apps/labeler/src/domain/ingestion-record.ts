/** What became of one output.json — kept so operators can see why an answer did not land. */
export type IngestionOutcome =
  /** the image was copied into the training set */
  | 'copied'
  /** a repeated event: the copy was already there */
  | 'already-copied'
  /** reviewers said `None of the Above`: recorded, nothing copied */
  | 'none-of-the-above'
  /** not ingested, see `reason` (never retried) */
  | 'rejected';

export interface IngestionRecord {
  outputKey: string;
  loopName: string | null;
  outcome: IngestionOutcome;
  label?: string;
  answers?: number;
  copiedTo?: string;
  reason?: string;
  at: string;
}

/** Where ingestion outcomes are recorded (Redis in the labeler; a map in unit tests). */
export interface IngestionLog {
  record(entry: IngestionRecord): Promise<void>;
  forLoop(loopName: string): Promise<IngestionRecord | null>;
  recentRejections(limit: number): Promise<IngestionRecord[]>;
}
