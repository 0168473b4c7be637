import { createHash } from 'crypto';
import { classifyLabeledObject } from '@relabel/contracts';
import type { ObjectInfo } from '@relabel/ports';

export interface LabeledImage {
  key: string;
  label: string;
  eTag: string;
  lastModified: Date;
}

export interface SkippedObject {
  key: string;
  reason: string;
}

export interface DatasetScan {
  images: LabeledImage[];
  skipped: SkippedObject[];
  /** identifies this exact dataset: same keys with the same content → same fingerprint */
  fingerprint: string;
}

/**
 * Sorts the objects under `images_labeled_by_folder/` into valid labelled images and skipped
 * objects (with a reason each), by `classifyLabeledObject`. Folder markers (`…/`) are not objects a
 * user meant, so they are ignored silently.
 */
export function scanLabeledObjects(objects: Iterable<ObjectInfo>): DatasetScan {
  const images: LabeledImage[] = [];
  const skipped: SkippedObject[] = [];
  for (const object of objects) {
    const verdict = classifyLabeledObject(object);
    if (verdict.kind === 'image') images.push({ key: object.key, label: verdict.label, eTag: object.eTag, lastModified: object.lastModified });
    else if (verdict.kind === 'skipped') skipped.push({ key: object.key, reason: verdict.reason });
  }
  images.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { images, skipped, fingerprint: datasetFingerprint(images) };
}

/** sha256 over the sorted (key, ETag) pairs; independent of listing order. */
export function datasetFingerprint(images: ReadonlyArray<Pick<LabeledImage, 'key' | 'eTag'>>): string {
  const hash = createHash('sha256');
  for (const line of images.map((i) => `${i.key}\u0000${i.eTag}\n`).sort()) hash.update(line);
  return hash.digest('hex');
}

export function groupByLabel(images: readonly LabeledImage[]): Map<string, LabeledImage[]> {
  const byLabel = new Map<string, LabeledImage[]>();
  for (const image of images) {
    const list = byLabel.get(image.label) ?? [];
    list.push(image);
    byLabel.set(image.label, list);
  }
  return byLabel;
}
