import type { ObjectInfo } from '@relabel/ports';
import { datasetFingerprint, scanLabeledObjects } from './labeled-dataset';

const obj = (key: string, eTag = 'e1', size = 10): ObjectInfo => ({ key, eTag, size, lastModified: new Date('2026-01-01T00:00:00Z') });

describe('scanLabeledObjects', () => {
  it('keeps JPEG/PNG images under <label>/<file> and reports everything else with a reason', () => {
    const scan = scanLabeledObjects([
      obj('images_labeled_by_folder/cat/a.jpg'),
      obj('images_labeled_by_folder/cat/b.PNG'),
      obj('images_labeled_by_folder/dog/c.jpeg'),
      obj('images_labeled_by_folder/dog/notes.txt'),
      obj('images_labeled_by_folder/loose.jpg'),
      obj('images_labeled_by_folder/a/b/deep.jpg'),
      obj('images_labeled_by_folder/dog/empty.jpg', 'e', 0),
      obj('images_labeled_by_folder/dog/'),
    ]);
    expect(scan.images.map((i) => `${i.label}:${i.key.split('/').pop()}`)).toEqual(['cat:a.jpg', 'cat:b.PNG', 'dog:c.jpeg']);
    expect(scan.skipped).toEqual([
      { key: 'images_labeled_by_folder/dog/notes.txt', reason: 'not a JPEG or PNG image' },
      { key: 'images_labeled_by_folder/loose.jpg', reason: expect.stringContaining('<label>/<file>') },
      { key: 'images_labeled_by_folder/a/b/deep.jpg', reason: expect.stringContaining('<label>/<file>') },
      { key: 'images_labeled_by_folder/dog/empty.jpg', reason: 'empty object' },
    ]);
  });
});

describe('datasetFingerprint', () => {
  const a = { key: 'images_labeled_by_folder/cat/a.jpg', eTag: '1' };
  const b = { key: 'images_labeled_by_folder/dog/b.jpg', eTag: '2' };

  it('does not depend on listing order', () => {
    expect(datasetFingerprint([a, b])).toBe(datasetFingerprint([b, a]));
  });

  it('changes when an image is added, removed or its content changes', () => {
    const base = datasetFingerprint([a, b]);
    expect(datasetFingerprint([a])).not.toBe(base);
    expect(datasetFingerprint([a, b, { key: 'images_labeled_by_folder/dog/c.jpg', eTag: '3' }])).not.toBe(base);
    expect(datasetFingerprint([a, { ...b, eTag: '9' }])).not.toBe(base);
  });
});
