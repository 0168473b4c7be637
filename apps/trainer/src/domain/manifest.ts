import { groundTruthClassificationLine, LabelSplit } from '@relabel/contracts';
import type { LabeledImage } from './labeled-dataset';

/**
 * The two Ground Truth manifests of a dataset snapshot. Class ids are positions in the sorted list
 * of labels taking part; `creation-date` is when the image was labelled, so an unchanged image
 * gives the same line in every version.
 */
export function buildManifests(split: ReadonlyArray<LabelSplit<LabeledImage>>, options: { bucket: string; version: string }): { train: string; test: string } {
  const labels = split.map((s) => s.label).sort();
  const lines = (side: 'train' | 'test') =>
    split
      .flatMap((s) => s[side])
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
      .map((image) =>
        groundTruthClassificationLine({
          bucket: options.bucket,
          key: image.key,
          label: image.label,
          classId: labels.indexOf(image.label),
          creationDate: image.lastModified.toISOString(),
          jobName: `labeling-job/relabel-${options.version}`,
        }),
      );
  const text = (side: 'train' | 'test') => lines(side).map((l) => `${l}\n`).join('');
  return { train: text('train'), test: text('test') };
}
