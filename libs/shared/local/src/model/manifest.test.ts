import { keyFromSourceRef, parseManifest } from './manifest';

const line = (ref: string, label: string, attr = 'relabel-class') => JSON.stringify({ 'source-ref': ref, [attr]: 0, [`${attr}-metadata`]: { 'class-name': label, type: 'groundtruth/image-classification' } });

describe('Ground Truth manifest parsing', () => {
  it('reads s3:// and plain source-refs with any class attribute name', () => {
    const text = [line('s3://bucket/images_labeled_by_folder/cat/a.jpg', 'cat'), '', line('images_labeled_by_folder/dog/b.png', 'dog', 'my-job')].join('\n');
    expect(parseManifest(text)).toEqual({
      entries: [
        { key: 'images_labeled_by_folder/cat/a.jpg', label: 'cat' },
        { key: 'images_labeled_by_folder/dog/b.png', label: 'dog' },
      ],
      rejected: [],
    });
  });

  it('reports bad lines with their number instead of failing', () => {
    const text = ['not json', JSON.stringify({ 'source-ref': 's3://b/k.jpg' }), JSON.stringify([1]), line('s3://bucket/', 'x'), line('s3://b/ok.jpg', 'ok')].join('\r\n');
    const parsed = parseManifest(text);
    expect(parsed.entries).toEqual([{ key: 'ok.jpg', label: 'ok' }]);
    expect(parsed.rejected.map((r) => r.line)).toEqual([1, 2, 3, 4]);
    expect(parsed.rejected[1]!.reason).toMatch(/class-name/);
  });

  it('maps source-refs to keys', () => {
    expect(keyFromSourceRef('s3://my-bucket/a/b c.jpg')).toBe('a/b c.jpg');
    expect(keyFromSourceRef('https://host/a.jpg')).toBeNull();
    expect(keyFromSourceRef('s3://bucket')).toBeNull();
  });
});
