import { createHash } from 'crypto';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { ObjectCreated } from '@relabel/contracts';
import { silentLogger, type EventInbox } from '@relabel/ports';
import { describeEventInboxConformance } from '@relabel/ports/testing';
import { createFsObjectStore } from '../object-store/fs-object-store';
import { createFsEventInbox } from './fs-event-inbox';

jest.setTimeout(20_000);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const md5 = (b: Buffer | string) => createHash('md5').update(b).digest('hex');
const FAST = { pollIntervalMs: 25, stableForMs: 150 };

async function waitFor(cond: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond() && Date.now() < deadline) await sleep(20);
}

async function tempDir(): Promise<{ dir: string; root: string; ledgerFile: string }> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'relabel-inbox-'));
  return { dir, root: path.join(dir, 'bucket'), ledgerFile: path.join(dir, 'inbox', 'test.jsonl') };
}

describeEventInboxConformance('fs folder (objects put through the store)', async () => {
  const { dir, root, ledgerFile } = await tempDir();
  const store = createFsObjectStore({ root, bucket: 'local' });
  return {
    bucket: 'local',
    prefix: 'images_for_detection/',
    makeInbox: () => createFsEventInbox({ logger: silentLogger }, { root, bucket: 'local', prefixes: ['images_for_detection/'], ledgerFile, ...FAST }),
    createObject: async (key, body) => void (await store.put(key, body)),
    quietMs: 250,
    cleanup: () => fs.rm(dir, { recursive: true, force: true }),
  };
});

describeEventInboxConformance('fs folder (files copied in by hand)', async () => {
  const { dir, root, ledgerFile } = await tempDir();
  return {
    bucket: 'local',
    prefix: 'a2i-human-loop-data/flow/',
    makeInbox: () => createFsEventInbox({ logger: silentLogger }, { root, bucket: 'local', prefixes: ['a2i-human-loop-data/'], ledgerFile, ...FAST }),
    createObject: async (key, body) => {
      const file = path.join(root, ...key.split('/'));
      await fs.mkdir(path.dirname(file), { recursive: true });
      await fs.writeFile(file, body);
    },
    quietMs: 250,
    cleanup: () => fs.rm(dir, { recursive: true, force: true }),
  };
});

describe('fs event inbox specifics', () => {
  let t: Awaited<ReturnType<typeof tempDir>>;
  let inbox: EventInbox | null = null;
  const events: ObjectCreated[] = [];
  const startInbox = async (opts: Partial<{ prefixes: string[]; stableForMs: number }> = {}) => {
    inbox = createFsEventInbox({ logger: silentLogger }, { root: t.root, bucket: 'local', prefixes: ['images_for_detection/'], ledgerFile: t.ledgerFile, ...FAST, ...opts });
    await inbox.start(async (e) => void events.push(e));
  };
  const write = async (key: string, body: string | Buffer) => {
    const file = path.join(t.root, ...key.split('/'));
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, body);
  };
  beforeEach(async () => {
    t = await tempDir();
    events.length = 0;
  });
  afterEach(async () => {
    await inbox?.stop();
    inbox = null;
    await fs.rm(t.dir, { recursive: true, force: true });
  });

  it('does not pick up a slow copy half-written: one event, with the complete size and MD5', async () => {
    await startInbox({ stableForMs: 300 });
    const file = path.join(t.root, 'images_for_detection', 'slow.jpg');
    await fs.mkdir(path.dirname(file), { recursive: true });
    const handle = await fs.open(file, 'w');
    const chunks = Array.from({ length: 6 }, (_, i) => Buffer.alloc(4096, i));
    for (const chunk of chunks) {
      await handle.write(chunk);
      await sleep(120);
    }
    await handle.close();
    await waitFor(() => events.length > 0);
    await sleep(400);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ key: 'images_for_detection/slow.jpg', size: 6 * 4096, eTag: md5(Buffer.concat(chunks)) });
  });

  it('ignores other prefixes, dot-files, the store temp dir and names that cannot be keys', async () => {
    await startInbox();
    await write('images_for_detection/.partial.jpg.swp', 'x');
    await write('images_for_detection/.hidden/a.jpg', 'x');
    await write('images_for_detection/back\\slash.jpg', 'x');
    await write('images_labeled_by_folder/cat/a.jpg', 'x');
    await write('.relabel-tmp/123.tmp', 'x');
    await write('images_for_detection/real.jpg', 'real');
    await waitFor(() => events.length > 0);
    await sleep(400);
    expect(events.map((e) => e.key)).toEqual(['images_for_detection/real.jpg']);
  });

  it('writes a ledger line per delivered version and compacts it on start (vanished keys dropped)', async () => {
    await startInbox();
    await write('images_for_detection/a.jpg', 'a1');
    await write('images_for_detection/b.jpg', 'b');
    await waitFor(() => !(events.length < 2));
    await write('images_for_detection/a.jpg', 'a2 changed');
    await waitFor(() => !(events.length < 3));
    await inbox!.stop();
    inbox = null;
    const lines = (await fs.readFile(t.ledgerFile, 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    const pairs = lines.map((l) => `${l.key} ${l.eTag}`);
    expect(pairs.slice(0, 2).sort()).toEqual([`images_for_detection/a.jpg ${md5('a1')}`, `images_for_detection/b.jpg ${md5('b')}`]);
    expect(pairs.slice(2)).toEqual([`images_for_detection/a.jpg ${md5('a2 changed')}`]);
    await fs.rm(path.join(t.root, 'images_for_detection', 'b.jpg'));
    await fs.appendFile(t.ledgerFile, '{"key":"torn');
    await startInbox();
    await sleep(300);
    const compacted = (await fs.readFile(t.ledgerFile, 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    expect(compacted.map((l) => [l.key, l.eTag])).toEqual([['images_for_detection/a.jpg', md5('a2 changed')]]);
    expect(events).toHaveLength(3);
  });

  it('re-delivers after a crash between the handler and the ledger write (at-least-once)', async () => {
    await startInbox();
    await write('images_for_detection/a.jpg', 'a');
    await waitFor(() => !(events.length < 1));
    await inbox!.stop();
    inbox = null;
    await fs.writeFile(t.ledgerFile, '');
    await startInbox();
    await waitFor(() => events.length >= 2);
    expect(events.map((e) => e.eTag)).toEqual([md5('a'), md5('a')]);
  });

  it('watches several prefixes, including one that ends mid-name', async () => {
    await startInbox({ prefixes: ['images_for_detection/', 'a2i-human-loop-data/fl'] });
    await write('a2i-human-loop-data/flow/2026/01/01/00/00/00/loop/output.json', '{}');
    await write('a2i-human-loop-data/other/x/output.json', '{}');
    await write('images_for_detection/x.png', 'x');
    await waitFor(() => events.length >= 2);
    await sleep(300);
    expect(events.map((e) => e.key).sort()).toEqual(['a2i-human-loop-data/flow/2026/01/01/00/00/00/loop/output.json', 'images_for_detection/x.png']);
  });

  it('refuses to start twice and refuses a prefix that escapes the folder', async () => {
    await startInbox();
    await expect(inbox!.start(async () => undefined)).rejects.toThrow(/already started/);
    expect(() => createFsEventInbox({ logger: silentLogger }, { root: t.root, bucket: 'b', prefixes: ['../x/'], ledgerFile: t.ledgerFile })).toThrow(
      expect.objectContaining({ code: 'STORE_INVALID_KEY' }),
    );
  });
});

describe('fs inbox drop folders', () => {
  it('creates the folders it watches, so a first copy into them has a target', async () => {
    const { dir, root, ledgerFile } = await tempDir();
    const inbox = createFsEventInbox({ logger: silentLogger }, { root, bucket: 'local', prefixes: ['images_for_detection/', 'a2i-'], ledgerFile, ...FAST });
    await inbox.start(async () => undefined);
    await inbox.stop();
    expect((await fs.stat(path.join(root, 'images_for_detection'))).isDirectory()).toBe(true);
    // a prefix that ends mid-name names no folder
    await expect(fs.stat(path.join(root, 'a2i-'))).rejects.toThrow();
    await fs.rm(dir, { recursive: true, force: true });
  });
});
