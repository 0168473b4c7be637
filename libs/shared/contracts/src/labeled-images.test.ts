import { classifyLabeledObject } from './labeled-images';

describe('classifyLabeledObject', () => {
  const at = (key: string, size = 10) => classifyLabeledObject({ key, size });

  it('counts a non-empty JPEG or PNG directly inside a valid label folder', () => {
    expect(at('images_labeled_by_folder/cat/1.jpg')).toEqual({ kind: 'image', label: 'cat' });
    expect(at('images_labeled_by_folder/dog-2/a.PNG')).toEqual({ kind: 'image', label: 'dog-2' });
  });

  it('skips everything else, each with its reason', () => {
    expect(at('images_labeled_by_folder/cat/')).toEqual({ kind: 'folder' });
    expect(at('images_labeled_by_folder/cat/sub/1.jpg')).toEqual({ kind: 'skipped', reason: 'not at images_labeled_by_folder/<label>/<file>' });
    expect(at('images_labeled_by_folder/c at/1.jpg')).toMatchObject({ kind: 'skipped', reason: expect.stringMatching(/not a valid label/) });
    expect(at('images_labeled_by_folder/cat/1.gif')).toEqual({ kind: 'skipped', reason: 'not a JPEG or PNG image' });
    expect(at('images_labeled_by_folder/cat/1.jpg', 0)).toEqual({ kind: 'skipped', reason: 'empty object' });
  });
});
