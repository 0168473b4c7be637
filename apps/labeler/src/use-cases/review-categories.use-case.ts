import { classifyLabeledObject, DATASET_SPLIT, isValidLabel, NONE_OF_THE_ABOVE, PREFIX } from '@relabel/contracts';
import { listAllObjects, ObjectStore, OperationalStateStore } from '@relabel/ports';

export interface ReviewCategory {
  name: string;
  /** labelled images in `images_labeled_by_folder/<name>/` (`classifyLabeledObject`, as the trainer counts them) */
  images: number;
  inTrainingSet: boolean;
  declared: boolean;
  /** too few images for a train/test split yet: the label does not take part in training */
  waiting: boolean;
}

export interface ReviewCategories {
  labels: ReviewCategory[];
  /** always offered last; recorded, never copied */
  noneOfTheAbove: typeof NONE_OF_THE_ABOVE;
}

/**
 * The categories reviewers choose from (apps/labeler/README.md, "Categories"): the training set's label folders plus the
 * labels the operator declared, never a hard-coded list. Folders whose name is not a valid label
 * are not offered (they could never be written back safely).
 */
export async function listReviewCategories(deps: { store: ObjectStore; operationalState: OperationalStateStore }): Promise<ReviewCategories> {
  const counts = new Map<string, number>();
  for await (const object of listAllObjects(deps.store, PREFIX.labeled)) {
    const verdict = classifyLabeledObject(object);
    if (verdict.kind === 'image') counts.set(verdict.label, (counts.get(verdict.label) ?? 0) + 1);
  }
  const declared = new Set((await deps.operationalState.get('declaredLabels')).filter(isValidLabel));
  const names = [...new Set([...counts.keys(), ...declared])].sort((a, b) => a.localeCompare(b));
  return {
    labels: names.map((name) => {
      const images = counts.get(name) ?? 0;
      return { name, images, inTrainingSet: images > 0, declared: declared.has(name), waiting: images < DATASET_SPLIT.minImagesPerLabel };
    }),
    noneOfTheAbove: NONE_OF_THE_ABOVE,
  };
}

/** Whether `label` is an answer reviewers may give right now. */
export function isKnownAnswer(categories: ReviewCategories, label: string): boolean {
  return label === NONE_OF_THE_ABOVE || categories.labels.some((c) => c.name === label);
}
