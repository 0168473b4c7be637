import { isValidLabel } from './labels';
import { hasImageExtension, parseLabeledKey } from './object-keys';

export type LabeledObjectVerdict =
  | { kind: 'image'; label: string }
  /** a `…/` folder marker: not an object anyone meant, so callers that report skips ignore it */
  | { kind: 'folder' }
  | { kind: 'skipped'; reason: string };

/**
 * Which object under `images_labeled_by_folder/` is a labelled image: a non-empty JPEG/PNG (by name;
 * the trainer checks the bytes later) directly inside a folder whose name is a valid label. The one
 * rule behind the trainer's dataset, config-watcher's untrained count and the labeler's review
 * categories, so the three always agree on the count.
 */
export function classifyLabeledObject(object: { key: string; size: number }): LabeledObjectVerdict {
  if (object.key.endsWith('/')) return { kind: 'folder' };
  const parsed = parseLabeledKey(object.key);
  if (!parsed) return { kind: 'skipped', reason: 'not at images_labeled_by_folder/<label>/<file>' };
  if (!isValidLabel(parsed.label)) return { kind: 'skipped', reason: `label folder "${parsed.label.slice(0, 80)}" is not a valid label name` };
  if (!hasImageExtension(parsed.file)) return { kind: 'skipped', reason: 'not a JPEG or PNG image' };
  if (object.size === 0) return { kind: 'skipped', reason: 'empty object' };
  return { kind: 'image', label: parsed.label };
}
