import { mkdtemp, rm } from 'fs/promises';
import { tmpdir } from 'os';
import { join } from 'path';
import { isErrorCode, NONE_OF_THE_ABOVE } from '@relabel/contracts';
import { createFileOperationalStateStore, createFsObjectStore } from '@relabel/local-adapters';
import type { ObjectStore, OperationalStateStore } from '@relabel/ports';
import { isKnownAnswer, listReviewCategories } from './review-categories.use-case';
import { declareLabel, retireLabel } from './manage-labels.use-case';

describe('review categories and declared labels', () => {
  let root: string;
  let store: ObjectStore;
  let operationalState: OperationalStateStore;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'relabel-categories-'));
    store = createFsObjectStore({ root: join(root, 'bucket'), bucket: 'b' });
    operationalState = createFileOperationalStateStore({ dir: join(root, 'state') });
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('offers training-set folders and declared labels, with counts and the waiting state', async () => {
    const jpg = Buffer.from([0xff, 0xd8, 0xff]);
    await store.put('images_labeled_by_folder/cat/1.jpg', jpg);
    await store.put('images_labeled_by_folder/cat/2.png', jpg);
    await store.put('images_labeled_by_folder/cat/notes.txt', jpg);
    await store.put('images_labeled_by_folder/cat/empty.jpg', Buffer.alloc(0)); // the trainer would skip it too
    await store.put('images_labeled_by_folder/dog/1.jpg', jpg);
    await store.put('images_labeled_by_folder/bad name/1.jpg', jpg);
    await declareLabel({ operationalState }, 'wholefoods_logo');
    await declareLabel({ operationalState }, 'dog');
    const categories = await listReviewCategories({ store, operationalState });
    expect(categories.labels).toEqual([
      { name: 'cat', images: 2, inTrainingSet: true, declared: false, waiting: false },
      { name: 'dog', images: 1, inTrainingSet: true, declared: true, waiting: true },
      { name: 'wholefoods_logo', images: 0, inTrainingSet: false, declared: true, waiting: true },
    ]);
    expect(categories.noneOfTheAbove).toBe(NONE_OF_THE_ABOVE);
    expect(isKnownAnswer(categories, 'wholefoods_logo')).toBe(true);
    expect(isKnownAnswer(categories, NONE_OF_THE_ABOVE)).toBe(true);
    expect(isKnownAnswer(categories, 'horse')).toBe(false);
  });

  it('declares idempotently, keeps concurrent declarations, and retires', async () => {
    expect(await declareLabel({ operationalState }, 'a')).toEqual({ name: 'a', created: true });
    expect(await declareLabel({ operationalState }, 'a')).toEqual({ name: 'a', created: false });
    await Promise.all(['b', 'c', 'd', 'e'].map((n) => declareLabel({ operationalState }, n)));
    expect(await operationalState.get('declaredLabels')).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(await retireLabel({ operationalState }, 'c')).toEqual({ name: 'c', removed: true });
    expect(await retireLabel({ operationalState }, 'c')).toEqual({ name: 'c', removed: false });
    expect(await operationalState.get('declaredLabels')).toEqual(['a', 'b', 'd', 'e']);
  });

  it.each(['../x', 'a/b', '', 'new\nline', NONE_OF_THE_ABOVE, 'x'.repeat(65)])('refuses to declare %j', async (bad) => {
    const err = await declareLabel({ operationalState }, bad).catch((e: unknown) => e);
    expect(isErrorCode(err, 'REVIEW_INVALID_LABEL')).toBe(true);
    expect(await operationalState.get('declaredLabels')).toEqual([]);
  });
});
