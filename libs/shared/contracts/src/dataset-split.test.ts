import { stableKeyHash, stratifiedSplit } from './dataset-split';

const imgs = (label: string, n: number) => Array.from({ length: n }, (_, i) => ({ key: `images_labeled_by_folder/${label}/${i}.jpg` }));

describe('stratifiedSplit', () => {
  it('hashes keys stably into [0, 1)', () => {
    const h = stableKeyHash('images_labeled_by_folder/cat/1.jpg');
    expect(h).toBeGreaterThanOrEqual(0);
    expect(h).toBeLessThan(1);
    expect(stableKeyHash('images_labeled_by_folder/cat/1.jpg')).toBe(h);
    expect(stableKeyHash('images_labeled_by_folder/cat/2.jpg')).not.toBe(h);
  });

  it('splits every label into non-empty train and test sides, about 20% test', () => {
    const { labels, excluded } = stratifiedSplit(new Map([['cat', imgs('cat', 100)], ['dog', imgs('dog', 3)]]));
    expect(excluded).toEqual([]);
    expect(labels.map((l) => l.label)).toEqual(['cat', 'dog']);
    const cat = labels[0]!;
    expect(cat.train.length + cat.test.length).toBe(100);
    expect(cat.test.length).toBeGreaterThan(8);
    expect(cat.test.length).toBeLessThan(35);
    expect(labels[1]!.test.length).toBeGreaterThanOrEqual(1);
    expect(labels[1]!.train.length).toBeGreaterThanOrEqual(1);
  });

  it('keeps an image on the same side when more images arrive', () => {
    const before = stratifiedSplit(new Map([['cat', imgs('cat', 40)]])).labels[0]!;
    const after = stratifiedSplit(new Map([['cat', imgs('cat', 90)]])).labels[0]!;
    const testAfter = new Set(after.test.map((i) => i.key));
    for (const img of before.test) expect(testAfter.has(img.key)).toBe(true);
    for (const img of before.train) expect(testAfter.has(img.key)).toBe(false);
  });

  it('excludes labels with too few images and says why', () => {
    const { labels, excluded } = stratifiedSplit(new Map([['cat', imgs('cat', 5)], ['rare', imgs('rare', 1)]]));
    expect(labels.map((l) => l.label)).toEqual(['cat']);
    expect(excluded).toEqual([{ label: 'rare', images: 1, reason: expect.stringContaining('at least 2') }]);
  });
});
