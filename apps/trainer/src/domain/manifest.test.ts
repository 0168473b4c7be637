import { parseGroundTruthClassificationLine, stratifiedSplit } from '@relabel/contracts';
import { groupByLabel, LabeledImage } from './labeled-dataset';
import { buildManifests } from './manifest';

const img = (label: string, i: number): LabeledImage => ({ key: `images_labeled_by_folder/${label}/${i}.jpg`, label, eTag: `e${i}`, lastModified: new Date(Date.UTC(2026, 0, 1, 0, 0, i)) });

describe('buildManifests', () => {
  const images = [...Array.from({ length: 12 }, (_, i) => img('cat', i)), ...Array.from({ length: 6 }, (_, i) => img('dog', i))];
  const split = stratifiedSplit(groupByLabel(images)).labels;
  const m = buildManifests(split, { bucket: 'relabel', version: 'v1' });
  const lines = (text: string) => text.trim().split('\n').map((l) => JSON.parse(l));

  it('writes one Ground Truth classification line per image, each image on one side', () => {
    const train = lines(m.train);
    const test = lines(m.test);
    expect(train.length + test.length).toBe(18);
    const refs = new Set([...train, ...test].map((l) => l['source-ref']));
    expect(refs.size).toBe(18);
    expect(m.train.endsWith('\n')).toBe(true);
    const first = test[0];
    expect(first['source-ref']).toMatch(/^s3:\/\/relabel\/images_labeled_by_folder\//);
    expect(first['class-metadata']).toEqual({
      confidence: 1,
      'job-name': 'labeling-job/relabel-v1',
      'class-name': expect.stringMatching(/^(cat|dog)$/),
      'human-annotated': 'yes',
      'creation-date': expect.stringMatching(/^2026-01-01T00:00:\d\d\.000Z$/),
      type: 'groundtruth/image-classification',
    });
  });

  it('numbers classes by sorted label and the lines read back to their labels', () => {
    for (const line of [...m.train.trim().split('\n'), ...m.test.trim().split('\n')]) {
      const parsed = parseGroundTruthClassificationLine(line);
      expect(parsed.key.split('/')[1]).toBe(parsed.label);
      expect(JSON.parse(line).class).toBe(parsed.label === 'cat' ? 0 : 1);
    }
  });

  it('is deterministic', () => {
    expect(buildManifests(split, { bucket: 'relabel', version: 'v1' })).toEqual(m);
  });
});
