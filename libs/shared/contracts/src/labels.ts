import { RelabelError } from './errors';

/** The answer meaning "none of the categories fits": recorded, never copied into the training set. */
export const NONE_OF_THE_ABOVE = 'None of the Above';

/**
 * A label becomes a folder name, so it is validated everywhere it enters: letters, digits, `_`, `-`,
 * `.`; 1–64 characters; not `.`/`..` (no `/`, control characters or traversal can get through).
 */
export const LABEL_PATTERN = '^(?!\\.{1,2}$)[A-Za-z0-9_.-]{1,64}$';
const LABEL_RE = new RegExp(LABEL_PATTERN);

export function isValidLabel(name: string): boolean {
  return LABEL_RE.test(name);
}

export function assertValidLabel(name: string): string {
  if (!isValidLabel(name)) {
    throw new RelabelError(
      'REVIEW_INVALID_LABEL',
      `label ${JSON.stringify(name).slice(0, 80)} is not allowed: use 1-64 letters, digits, "_", "-" or "."`,
    );
  }
  return name;
}

/**
 * A reviewer's answer is a valid label name (it becomes a folder) or `None of the Above`. The
 * review workbench checks it when an answer is submitted, ingestion again when it reads an
 * output.json (A2I writes those, so they cross a trust boundary).
 */
export function isValidAnswer(label: string): boolean {
  return label === NONE_OF_THE_ABOVE || isValidLabel(label);
}

export function assertValidAnswer(label: string): string {
  return label === NONE_OF_THE_ABOVE ? label : assertValidLabel(label);
}
