import { RelabelError } from './errors';

/**
 * Ground Truth image-classification manifest lines, the dataset format Rekognition Custom Labels
 * trains from (root README, "Object store layout": `manifests/`). The trainer writes them, the
 * trainer's champion evaluation and the local model read them, all through this file, so the format
 * is defined once.
 */
export const GROUND_TRUTH_CLASS_ATTRIBUTE = 'class';
export const GROUND_TRUTH_CLASSIFICATION_TYPE = 'groundtruth/image-classification';

export interface GroundTruthClassificationEntry {
  bucket: string;
  key: string;
  label: string;
  /** index of the label in the dataset's sorted label list */
  classId: number;
  /** ISO time the label was given (the labelled object's last modification) */
  creationDate: string;
  jobName: string;
}

export function groundTruthClassificationLine(entry: GroundTruthClassificationEntry): string {
  const attr = GROUND_TRUTH_CLASS_ATTRIBUTE;
  return JSON.stringify({
    'source-ref': `s3://${entry.bucket}/${entry.key}`,
    [attr]: entry.classId,
    [`${attr}-metadata`]: {
      confidence: 1,
      'job-name': entry.jobName,
      'class-name': entry.label,
      'human-annotated': 'yes',
      'creation-date': entry.creationDate,
      type: GROUND_TRUTH_CLASSIFICATION_TYPE,
    },
  });
}

export interface ParsedManifestLine {
  bucket: string;
  key: string;
  label: string;
}

export type ManifestLineReading = { ok: true; entry: ParsedManifestLine } | { ok: false; reason: string };

/**
 * Reads one line written by any Ground Truth classification job: `source-ref` is an
 * `s3://bucket/key` URI (what Custom Labels accepts), and the class attribute's name is free, so the
 * first `*-metadata` object typed `groundtruth/image-classification` carries the class name.
 */
export function readGroundTruthClassificationLine(line: string): ManifestLineReading {
  const invalid = (reason: string): ManifestLineReading => ({ ok: false, reason });
  let doc: unknown;
  try {
    doc = JSON.parse(line);
  } catch {
    return invalid('not JSON');
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return invalid('not a JSON object');
  const record = doc as Record<string, unknown>;
  const ref = record['source-ref'];
  const match = typeof ref === 'string' ? /^s3:\/\/([^/]+)\/(.+)$/.exec(ref) : null;
  if (!match) return invalid('"source-ref" is not an s3://bucket/key URI');
  for (const [name, value] of Object.entries(record)) {
    if (!name.endsWith('-metadata') || !value || typeof value !== 'object') continue;
    const meta = value as Record<string, unknown>;
    if (meta['type'] !== GROUND_TRUTH_CLASSIFICATION_TYPE) continue;
    const label = meta['class-name'];
    if (typeof label !== 'string' || !label) return invalid(`"${name}" has no class-name`);
    return { ok: true, entry: { bucket: match[1]!, key: match[2]!, label } };
  }
  return invalid('no groundtruth/image-classification metadata');
}

/** `readGroundTruthClassificationLine` for a line that must be valid: throws TRAINING_DATASET_INVALID. */
export function parseGroundTruthClassificationLine(line: string): ParsedManifestLine {
  const reading = readGroundTruthClassificationLine(line);
  if (!reading.ok) throw new RelabelError('TRAINING_DATASET_INVALID', `manifest line: ${reading.reason}`);
  return reading.entry;
}

export interface ParsedManifest {
  entries: ParsedManifestLine[];
  /** 1-based line numbers with the reason they were skipped */
  rejected: { line: number; reason: string }[];
}

/** A whole manifest (one JSON object per line): bad lines are reported, not fatal; blank lines are ignored. */
export function parseGroundTruthManifest(text: string): ParsedManifest {
  const parsed: ParsedManifest = { entries: [], rejected: [] };
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (!line) return;
    const reading = readGroundTruthClassificationLine(line);
    if (reading.ok) parsed.entries.push(reading.entry);
    else parsed.rejected.push({ line: index + 1, reason: reading.reason });
  });
  return parsed;
}
