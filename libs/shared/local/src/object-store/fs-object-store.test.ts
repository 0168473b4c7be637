import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { describeObjectStoreConformance } from '@relabel/ports/testing';
import { createFsObjectStore } from './fs-object-store';
import { md5Hex } from './etag';

async function tempRoot(): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), 'relabel-store-'));
}

describeObjectStoreConformance('fs folder', async () => {
  const root = await tempRoot();
  return { store: createFsObjectStore({ root, bucket: 'local' }), cleanup: () => fs.rm(root, { recursive: true, force: true }) };
});

describe('fs object store specifics', () => {
  let root: string;
  beforeEach(async () => {
    root = await tempRoot();
  });
  afterEach(async () => fs.rm(root, { recursive: true, force: true }));

  it('keys are the relative paths of the folder: files copied in by hand are objects with an MD5 ETag', async () => {
    const store = createFsObjectStore({ root, bucket: 'local' });
    await fs.mkdir(path.join(root, 'images_for_detection', 'sub'), { recursive: true });
    await fs.writeFile(path.join(root, 'images_for_detection', 'sub', 'cat.jpg'), 'meow');
    expect(await store.head('images_for_detection/sub/cat.jpg')).toMatchObject({ size: 4, eTag: md5Hex(Buffer.from('meow')) });
    await store.put('images_for_detection/dog.jpg', Buffer.from('woof'));
    expect(await fs.readFile(path.join(root, 'images_for_detection', 'dog.jpg'), 'utf8')).toBe('woof');
  });

  it('sees a file changed by hand (new ETag) even though an older ETag was cached', async () => {
    const store = createFsObjectStore({ root, bucket: 'local' });
    await store.put('a.txt', Buffer.from('one'));
    await fs.writeFile(path.join(root, 'a.txt'), 'two');
    expect((await store.head('a.txt'))?.eTag).toBe(md5Hex(Buffer.from('two')));
    expect((await store.list('')).items[0]?.eTag).toBe(md5Hex(Buffer.from('two')));
  });

  it('hides its temp dir (and half-written temp files) from list and head', async () => {
    const store = createFsObjectStore({ root, bucket: 'local' });
    await store.put('x/y.txt', Buffer.from('y'));
    await fs.writeFile(path.join(root, '.relabel-tmp', 'partial.tmp'), 'half');
    expect((await store.list('')).items.map((i) => i.key)).toEqual(['x/y.txt']);
    expect((await store.list('.relabel')).items).toEqual([]);
    await expect(store.head('.relabel-tmp/partial.tmp')).rejects.toMatchObject({ code: 'STORE_INVALID_KEY' });
  });

  it('refuses a key that would need a folder where an object is (S3 allows it, a folder cannot)', async () => {
    const store = createFsObjectStore({ root, bucket: 'local' });
    await store.put('a', Buffer.from('file'));
    await expect(store.put('a/b', Buffer.from('x'))).rejects.toMatchObject({ code: 'STORE_INVALID_KEY' });
    await store.put('d/e', Buffer.from('x'));
    await expect(store.put('d', Buffer.from('x'))).rejects.toMatchObject({ code: 'STORE_INVALID_KEY' });
    expect(await fs.readdir(path.join(root, '.relabel-tmp'))).toEqual([]);
  });

  it('skips files whose names cannot be keys and does not follow symlinked folders', async () => {
    const store = createFsObjectStore({ root, bucket: 'local' });
    await fs.mkdir(path.join(root, 'in'));
    await fs.writeFile(path.join(root, 'in', 'back\\slash.jpg'), 'x');
    await fs.writeFile(path.join(root, 'in', 'ok.jpg'), 'x');
    await fs.symlink(root, path.join(root, 'in', 'loop'));
    expect((await store.list('in/')).items.map((i) => i.key)).toEqual(['in/ok.jpg']);
  });

  it('never writes through a folder symlinked out of the bucket', async () => {
    const store = createFsObjectStore({ root, bucket: 'local' });
    const outside = await tempRoot();
    await fs.mkdir(root, { recursive: true });
    await fs.symlink(outside, path.join(root, 'evil'));
    await expect(store.put('evil/x.txt', Buffer.from('x'))).rejects.toMatchObject({ code: 'STORE_INVALID_KEY' });
    expect(await fs.readdir(outside)).toEqual([]);
    await fs.rm(outside, { recursive: true, force: true });
  });

  it('refuses a non-positive page limit', async () => {
    const store = createFsObjectStore({ root, bucket: 'local' });
    await expect(store.list('', { limit: 0 })).rejects.toMatchObject({ code: 'REQUEST_INVALID' });
  });
});
