import { RelabelError } from './errors';

/**
 * Ground Truth image-classification manifest lines (SPEC 5B.3), the dataset format Rekognition Custom
 * Labels trains from. Both the trainer (writer) and every ModelService adapter (reader) use these two
 * functions, so the format is defined once.
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

function invalid(reason: string): never {
  throw new RelabelError('TRAINING_DATASET_INVALID', `manifest line: ${reason}`);
}

/**
 * Reads one line written by any Ground Truth classification job: the class attribute's name is free,
 * so the first `*-metadata` object typed `groundtruth/image-classification` carries the class name.
 */
export function parseGroundTruthClassificationLine(line: string): ParsedManifestLine {
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
    return { bucket: match[1]!, key: match[2]!, label };
  }
  return invalid('no groundtruth/image-classification metadata');
}
