import { groundTruthClassificationLine, parseGroundTruthClassificationLine, parseGroundTruthManifest } from './ground-truth-manifest';

describe('Ground Truth classification lines', () => {
  const entry = { bucket: 'b', key: 'images_labeled_by_folder/cat/a b.jpg', label: 'cat', classId: 1, creationDate: '2026-01-01T00:00:00.000Z', jobName: 'labeling-job/v1' };

  it('writes source-ref, the class attribute and its metadata', () => {
    const doc = JSON.parse(groundTruthClassificationLine(entry));
    expect(doc).toEqual({
      'source-ref': 's3://b/images_labeled_by_folder/cat/a b.jpg',
      class: 1,
      'class-metadata': { confidence: 1, 'job-name': 'labeling-job/v1', 'class-name': 'cat', 'human-annotated': 'yes', 'creation-date': '2026-01-01T00:00:00.000Z', type: 'groundtruth/image-classification' },
    });
  });

  it('reads back its own lines and lines with another attribute name', () => {
    expect(parseGroundTruthClassificationLine(groundTruthClassificationLine(entry))).toEqual({ bucket: 'b', key: entry.key, label: 'cat' });
    const other = JSON.stringify({ 'source-ref': 's3://x/k.png', dog: 0, 'dog-metadata': { 'class-name': 'dog', type: 'groundtruth/image-classification' } });
    expect(parseGroundTruthClassificationLine(other)).toEqual({ bucket: 'x', key: 'k.png', label: 'dog' });
  });

  it('refuses malformed lines with TRAINING_DATASET_INVALID', () => {
    for (const bad of ['{', '[]', '{"source-ref":"http://x/y"}', '{"source-ref":"s3://b/k"}']) {
      expect(() => parseGroundTruthClassificationLine(bad)).toThrow(expect.objectContaining({ code: 'TRAINING_DATASET_INVALID' }));
    }
  });

  it('reads a whole manifest, reporting bad lines with their number instead of failing', () => {
    const line = (ref: string, label: string) => JSON.stringify({ 'source-ref': ref, c: 0, 'c-metadata': { 'class-name': label, type: 'groundtruth/image-classification' } });
    const text = ['not json', '', JSON.stringify({ 'source-ref': 's3://b/k.jpg' }), line('images/plain.jpg', 'x'), line('s3://b/ok.jpg', 'ok'), ''].join('\r\n');
    const parsed = parseGroundTruthManifest(text);
    expect(parsed.entries).toEqual([{ bucket: 'b', key: 'ok.jpg', label: 'ok' }]);
    expect(parsed.rejected.map((r) => r.line)).toEqual([1, 3, 4]);
    expect(parsed.rejected[2]!.reason).toMatch(/s3:\/\/bucket\/key/);
  });
});
