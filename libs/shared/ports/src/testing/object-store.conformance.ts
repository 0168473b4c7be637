import { createHash } from 'crypto';
import type { ErrorCode } from '@relabel/contracts';
import { listAllObjects, type ObjectStore } from '../object-store.port';
import { describeConformance } from './conformance-suite';

export interface ObjectStoreUnderTest {
  store: ObjectStore;
  cleanup(): Promise<void>;
}

const md5 = (body: Buffer) => createHash('md5').update(body).digest('hex');

async function expectCode(promise: Promise<unknown>, code: ErrorCode): Promise<void> {
  await expect(promise).rejects.toMatchObject({ code });
}

/** Keys every adapter must refuse with STORE_INVALID_KEY, whatever its backend would accept. */
export const INVALID_OBJECT_KEYS = ['', '../escape.jpg', 'a/../../b.jpg', 'a/./b.jpg', '/etc/passwd', 'a\\b.jpg', 'nul\u0000.jpg', 'a//b.jpg', 'dir/'];

/**
 * The contract every ObjectStore adapter passes (fs folder, S3). `makeStore` gives a fresh, empty
 * store per test; `cleanup` removes whatever it made.
 */
export function describeObjectStoreConformance(name: string, makeStore: () => Promise<ObjectStoreUnderTest>): void {
  describeConformance('ObjectStore', name, makeStore, (sut) => {
    const store = () => sut().store;

    it('puts and gets the exact bytes with ETag = MD5 hex of the content', async () => {
      const body = Buffer.from([0, 1, 2, 255, 254, 10, 13, 0]);
      const put = await store().put('images_for_detection/a.jpg', body, { contentType: 'image/jpeg' });
      expect(put.eTag).toBe(md5(body));
      const got = await store().get('images_for_detection/a.jpg');
      expect(got.body.equals(body)).toBe(true);
      expect(got).toMatchObject({ key: 'images_for_detection/a.jpg', size: body.length, eTag: md5(body) });
      expect(got.lastModified).toBeInstanceOf(Date);
    });

    it('stores an empty object', async () => {
      const put = await store().put('empty.txt', Buffer.alloc(0));
      expect(put.eTag).toBe('d41d8cd98f00b204e9800998ecf8427e');
      expect((await store().head('empty.txt'))?.size).toBe(0);
    });

    it('overwrites a key with the new content and a new ETag', async () => {
      await store().put('k/v.json', Buffer.from('{"v":1}'));
      const second = await store().put('k/v.json', Buffer.from('{"v":22}'));
      expect(second.eTag).toBe(md5(Buffer.from('{"v":22}')));
      expect((await store().get('k/v.json')).body.toString()).toBe('{"v":22}');
    });

    it('round-trips keys with spaces, plus signs and non-ASCII characters', async () => {
      const key = 'images_for_detection/a cat+dog é 🐱.jpg';
      await store().put(key, Buffer.from('x'));
      expect((await store().get(key)).key).toBe(key);
      expect((await store().list('images_for_detection/')).items.map((i) => i.key)).toEqual([key]);
    });

    it('heads an object, and answers null for a missing one', async () => {
      const body = Buffer.from('hello');
      await store().put('h/one.txt', body);
      expect(await store().head('h/one.txt')).toMatchObject({ key: 'h/one.txt', size: 5, eTag: md5(body) });
      expect(await store().head('h/missing.txt')).toBeNull();
      expect(await store().head('h')).toBeNull();
    });

    it('fails get of a missing key with STORE_NOT_FOUND', async () => {
      await expectCode(store().get('nothing/here.jpg'), 'STORE_NOT_FOUND');
    });

    it('lists by prefix in key (byte) order, including prefixes that end mid-name', async () => {
      const keys = ['p/a0', 'p/a/c/d', 'p/a-b', 'p/a/b', 'p/b.jpg', 'q/a', 'pp/x'];
      for (const key of keys) await store().put(key, Buffer.from(key));
      const all = (await store().list('p/')).items;
      expect(all.map((i) => i.key)).toEqual(['p/a-b', 'p/a/b', 'p/a/c/d', 'p/a0', 'p/b.jpg']);
      expect(all[0]).toMatchObject({ size: 5, eTag: md5(Buffer.from('p/a-b')) });
      expect((await store().list('p/a')).items.map((i) => i.key)).toEqual(['p/a-b', 'p/a/b', 'p/a/c/d', 'p/a0']);
      expect((await store().list('p/a/')).items.map((i) => i.key)).toEqual(['p/a/b', 'p/a/c/d']);
      expect((await store().list('p')).items.map((i) => i.key)).toHaveLength(7 - 1);
      expect((await store().list('zzz/')).items).toEqual([]);
      expect((await store().list('')).items).toHaveLength(7);
    });

    it('paginates with an opaque cursor until the last page', async () => {
      const keys = Array.from({ length: 7 }, (_, i) => `page/${String(i).padStart(2, '0')}.jpg`);
      for (const key of [...keys].reverse()) await store().put(key, Buffer.from(key));
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await store().list('page/', { limit: 3, cursor });
        expect(page.items.length).toBeLessThanOrEqual(3);
        seen.push(...page.items.map((i) => i.key));
        cursor = page.nextCursor;
        pages += 1;
      } while (cursor && pages < 10);
      expect(pages).toBe(3);
      expect(seen).toEqual(keys);
      const exact = await store().list('page/0', { limit: 7 });
      expect(exact.items).toHaveLength(7);
      expect(exact.nextCursor).toBeUndefined();
      const viaHelper: string[] = [];
      for await (const item of listAllObjects(store(), 'page/', 2)) viaHelper.push(item.key);
      expect(viaHelper).toEqual(keys);
    });

    it('copies an object (source kept, same ETag), and a missing source is STORE_NOT_FOUND', async () => {
      const body = Buffer.from('original');
      await store().put('src/a.jpg', body);
      const copied = await store().copy('src/a.jpg', 'dst/deep/a.jpg');
      expect(copied.eTag).toBe(md5(body));
      expect((await store().get('dst/deep/a.jpg')).body.equals(body)).toBe(true);
      expect(await store().head('src/a.jpg')).not.toBeNull();
      await expectCode(store().copy('src/missing.jpg', 'dst/b.jpg'), 'STORE_NOT_FOUND');
      expect(await store().head('dst/b.jpg')).toBeNull();
    });

    it('deletes an object; deleting a missing key is fine', async () => {
      await store().put('del/x.txt', Buffer.from('x'));
      await store().delete('del/x.txt');
      expect(await store().head('del/x.txt')).toBeNull();
      await expectCode(store().get('del/x.txt'), 'STORE_NOT_FOUND');
      expect((await store().list('del/')).items).toEqual([]);
      await expect(store().delete('del/x.txt')).resolves.toBeUndefined();
      await expect(store().delete('never/was.txt')).resolves.toBeUndefined();
    });

    it.each(INVALID_OBJECT_KEYS)('refuses the invalid key %j with STORE_INVALID_KEY', async (key) => {
      await store().put('valid/a.txt', Buffer.from('a'));
      await expectCode(store().put(key, Buffer.from('x')), 'STORE_INVALID_KEY');
      await expectCode(store().get(key), 'STORE_INVALID_KEY');
      await expectCode(store().head(key), 'STORE_INVALID_KEY');
      await expectCode(store().delete(key), 'STORE_INVALID_KEY');
      await expectCode(store().copy('valid/a.txt', key), 'STORE_INVALID_KEY');
      await expectCode(store().copy(key, 'valid/b.txt'), 'STORE_INVALID_KEY');
    });

    it('never lets a concurrent reader see half of an object', async () => {
      const a = Buffer.alloc(2 * 1024 * 1024, 'a');
      const b = Buffer.alloc(3 * 1024 * 1024, 'b');
      await store().put('atomic/obj.bin', a);
      let writing = true;
      const writer = (async () => {
        for (let i = 0; i < 12; i += 1) await store().put('atomic/obj.bin', i % 2 ? a : b);
        writing = false;
      })();
      let reads = 0;
      while (writing || reads < 3) {
        const got = await store().get('atomic/obj.bin');
        expect(got.body.equals(a) || got.body.equals(b)).toBe(true);
        expect(got.eTag).toBe(md5(got.body));
        const listed = (await store().list('atomic/')).items;
        expect(listed.map((i) => i.key)).toEqual(['atomic/obj.bin']);
        reads += 1;
      }
      await writer;
    });
  });
}
