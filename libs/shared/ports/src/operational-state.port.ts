/**
 * Operational state kept durably (not only in Redis) with exactly one writer per item, so no
 * update is lost to a race and losing Redis never loses which model is live.
 */
export interface OperationalState {
  /** writer: trainer */
  activeModelVersion: string | null;
  /** writer: trainer — versions being trained or started */
  versionsInFlight: string[];
  /** writer: trainer — labelled images in the dataset of the last deployed version */
  lastDeployedDatasetImages: number;
  /** writer: labeler — review categories declared by the operator beyond the training-set folders */
  declaredLabels: string[];
}

export type OperationalStateItem = keyof OperationalState;

export const INITIAL_OPERATIONAL_STATE: OperationalState = {
  activeModelVersion: null,
  versionsInFlight: [],
  lastDeployedDatasetImages: 0,
  declaredLabels: [],
};

export interface OperationalStateStore {
  get<K extends OperationalStateItem>(item: K): Promise<OperationalState[K]>;
  getAll(): Promise<OperationalState>;
  /** Atomic replace of one item (readers see the old or the new value, never a mix). */
  set<K extends OperationalStateItem>(item: K, value: OperationalState[K]): Promise<void>;
}
