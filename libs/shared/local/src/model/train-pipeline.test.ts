import { TRAIN_VIEWS, trainViews, viewBudget } from './train-pipeline';

const images = (perLabel: number, labels = 20) =>
  Array.from({ length: perLabel * labels }, (_, i) => ({ key: `images/l${i % labels}/${Math.floor(i / labels)}.jpg`, label: `l${i % labels}` }));
const embeddings = (views: string[][]) => views.reduce((n, v) => n + v.length, 0);

describe('training views', () => {
  it('spends the view budget on the best views, never less than the frame per image', () => {
    expect(trainViews(images(5, 2)).every((v) => v.length === TRAIN_VIEWS.length)).toBe(true);
    expect(embeddings(trainViews(images(15)))).toBe(300 * 5);
    expect(embeddings(trainViews(images(30)))).toBe(viewBudget(600));
    expect(trainViews(images(50)).every((v) => v.length === 1 && v[0] === 'whole')).toBe(true);
    expect(trainViews(images(100)).every((v) => v.length === 1)).toBe(true);
    for (const perLabel of [1, 3, 12, 13, 24, 38, 45]) {
      const views = trainViews(images(perLabel));
      expect(embeddings(views)).toBeLessThanOrEqual(Math.max(views.length, viewBudget(views.length)) + 20);
      for (const v of views) expect(TRAIN_VIEWS.slice(0, v.length)).toEqual(v);
    }
  });

  it('shrinks the budget gradually towards frame-alone trainings, never below one view per image', () => {
    const shrinking = [500, 600, 700, 800, 900, 1000].map(viewBudget);
    expect(viewBudget(400)).toBe(1500);
    expect(shrinking[0]).toBe(1500);
    for (let i = 1; i < shrinking.length; i++) expect(shrinking[i]).toBeLessThan(shrinking[i - 1]!);
    expect(viewBudget(800)).toBeGreaterThan(800);
    expect(viewBudget(1100)).toBe(1100);
    expect(viewBudget(1000)).toBe(1000);
  });

  it('gives the extra view to the same images of each label as the set grows, so cached embeddings are reused', () => {
    const small = images(36);
    const grown = images(40);
    const extraOf = (set: ReturnType<typeof images>) => new Set(trainViews(set).flatMap((v, i) => (v.length > 1 ? [set[i]!.key] : [])));
    const before = extraOf(small);
    const after = extraOf(grown);
    expect(after.size).toBeGreaterThan(0);
    expect(after.size).toBeLessThan(before.size);
    // Keys of the smaller set that keep their extra view in the larger one: all of the larger set's, bar new images.
    for (const key of after) if (small.some((s) => s.key === key)) expect(before.has(key)).toBe(true);
    // Stratified: every label gets its share.
    const perLabel = new Map<string, number>();
    trainViews(grown).forEach((v, i) => v.length > 1 && perLabel.set(grown[i]!.label, (perLabel.get(grown[i]!.label) ?? 0) + 1));
    expect(new Set(perLabel.values()).size).toBe(1);
  });

  it('keeps the photometric views for small sets, so plate colour and polarity are no shortcut', () => {
    expect(trainViews(images(5, 2))[0]).toEqual(expect.arrayContaining(['invert', 'perm']));
  });
});
