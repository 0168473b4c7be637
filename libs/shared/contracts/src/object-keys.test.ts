import { detectionResultKey, hasImageExtension, humanLoopOutputKey, isHumanLoopOutputKey, parseLabeledKey } from './object-keys';

describe('object key layout', () => {
  it('maps a detection input to its result key', () => {
    expect(detectionResultKey('images_for_detection/a/b.jpg')).toBe('detection_results/a/b.jpg.json');
  });

  it('reads label and file from a training-set key, and nothing else', () => {
    expect(parseLabeledKey('images_labeled_by_folder/cat/1.jpg')).toEqual({ label: 'cat', file: '1.jpg' });
    expect(parseLabeledKey('images_labeled_by_folder/cat/sub/1.jpg')).toBeNull();
    expect(parseLabeledKey('images_labeled_by_folder/cat.jpg')).toBeNull();
    expect(parseLabeledKey('images_for_detection/cat/1.jpg')).toBeNull();
  });

  it('knows JPEG and PNG by name', () => {
    expect(['a.jpg', 'a.JPEG', 'b.png'].map(hasImageExtension)).toEqual([true, true, true]);
    expect(['a.gif', 'a.jpg.txt', 'png'].map(hasImageExtension)).toEqual([false, false, false]);
  });

  it('lays out human-loop output like A2I, in UTC', () => {
    const key = humanLoopOutputKey('flow', 'loop-1', new Date(Date.UTC(2026, 0, 2, 3, 4, 5)));
    expect(key).toBe('a2i-human-loop-data/flow/2026/01/02/03/04/05/loop-1/output.json');
    expect(isHumanLoopOutputKey(key)).toBe(true);
    expect(isHumanLoopOutputKey('a2i-human-loop-data/flow/x/input.json')).toBe(false);
  });
});
