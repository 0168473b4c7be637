import { Type, type TSchema } from '@sinclair/typebox';

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

/** What each item may hold; adapters validate what they read, so a corrupt value is refused, not used. */
export const OPERATIONAL_STATE_ITEM_SCHEMAS: Record<OperationalStateItem, TSchema> = {
  activeModelVersion: Type.Union([Type.String({ minLength: 1 }), Type.Null()]),
  versionsInFlight: Type.Array(Type.String({ minLength: 1 })),
  lastDeployedDatasetImages: Type.Integer({ minimum: 0 }),
  declaredLabels: Type.Array(Type.String({ minLength: 1 })),
};

export const OPERATIONAL_STATE_ITEMS = Object.keys(OPERATIONAL_STATE_ITEM_SCHEMAS) as OperationalStateItem[];

export interface OperationalStateStore {
  get<K extends OperationalStateItem>(item: K): Promise<OperationalState[K]>;
  getAll(): Promise<OperationalState>;
  /** Atomic replace of one item (readers see the old or the new value, never a mix). */
  set<K extends OperationalStateItem>(item: K, value: OperationalState[K]): Promise<void>;
}
