import { TRAIN_VIEWS, trainViewsFor, VIEW_BUDGET } from './train-pipeline';

describe('training views', () => {
  it('spends the view budget on as many of the best views as it covers, never less than the frame', () => {
    expect(trainViewsFor(10)).toEqual(TRAIN_VIEWS);
    expect(trainViewsFor(250)).toHaveLength(6);
    expect(trainViewsFor(300)).toHaveLength(5);
    expect(trainViewsFor(600)).toEqual(['whole', 'zoomOut']);
    expect(trainViewsFor(1000)).toEqual(['whole']);
    expect(trainViewsFor(100_000)).toEqual(['whole']);
    for (const images of [1, 2, 50, 120, 251, 499, 750, 751]) {
      const views = trainViewsFor(images);
      expect(views[0]).toBe('whole');
      expect(views.length * images <= VIEW_BUDGET || views.length === 1).toBe(true);
      expect(TRAIN_VIEWS.slice(0, views.length)).toEqual(views);
    }
  });

  it('keeps the photometric views for small sets, so plate colour and polarity are no shortcut', () => {
    expect(trainViewsFor(20)).toEqual(expect.arrayContaining(['invert', 'perm']));
  });
});
