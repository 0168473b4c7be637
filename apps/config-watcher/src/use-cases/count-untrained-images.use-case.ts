import { classifyLabeledObject, PREFIX } from '@relabel/contracts';
import { listAllObjects, ObjectStore, OperationalStateStore } from '@relabel/ports';

export interface UntrainedImages {
  /** labelled images (`classifyLabeledObject`): what the trainer would put in a dataset */
  labelled: number;
  lastDeployedDataset: number;
  /** labelled − last deployed dataset, never below 0 */
  untrained: number;
  /** other objects under the prefix (wrong type, wrong depth, bad label, empty, folder markers): never counted */
  skipped: number;
}

/**
 * The training-set count of flow B (docs/architecture.md), by key: the object's type and place decide, so the count
 * costs one listing; the trainer checks the bytes when it builds a manifest.
 */
export async function countUntrainedImages(deps: { objectStore: ObjectStore; operationalState: OperationalStateStore }): Promise<UntrainedImages> {
  let labelled = 0;
  let skipped = 0;
  for await (const object of listAllObjects(deps.objectStore, PREFIX.labeled)) {
    if (classifyLabeledObject(object).kind === 'image') labelled++;
    else skipped++;
  }
  const lastDeployedDataset = await deps.operationalState.get('lastDeployedDatasetImages');
  return { labelled, lastDeployedDataset, untrained: Math.max(0, labelled - lastDeployedDataset), skipped };
}
