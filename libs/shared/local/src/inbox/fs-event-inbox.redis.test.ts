import { createHash, randomBytes } from 'crypto';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import IORedis from 'ioredis';
import { Queue } from 'bullmq';
import sharp from 'sharp';
import { objectCreatedJobId, QUEUES, type ObjectCreated } from '@relabel/contracts';
import { silentLogger, type EventInbox } from '@relabel/ports';
import { createFsEventInbox } from './fs-event-inbox';

jest.setTimeout(30_000);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');

/** A real, distinct JPEG (random pixels, ~5 KB). */
function jpeg(): Promise<Buffer> {
  return sharp(randomBytes(48 * 48 * 3), { raw: { width: 48, height: 48, channels: 3 } }).jpeg({ quality: 90 }).toBuffer();
}

/** Copies like a slow `cp`: the file exists, growing, long before it is complete. */
async function slowCopy(file: string, body: Buffer, chunks = 4, pauseMs = 120): Promise<void> {
  const handle = await fs.open(file, 'w');
  try {
    const size = Math.ceil(body.length / chunks);
    for (let offset = 0; offset < body.length; offset += size) {
      await handle.write(body.subarray(offset, offset + size));
      await sleep(pauseMs);
    }
  } finally {
    await handle.close();
  }
}

describe('fs event inbox → BullMQ detection queue (issue 2 check)', () => {
  const prefix = `t${randomBytes(5).toString('hex')}`;
  const connection = { host: '127.0.0.1', port: 6379 };
  let queue: Queue;
  let dir: string;

  beforeAll(async () => {
    queue = new Queue(QUEUES.detection, { connection, prefix });
    queue.on('error', () => undefined);
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'relabel-inbox-redis-'));
  });

  afterAll(async () => {
    await queue.obliterate({ force: true });
    // Adapters may not import the platform (it composes them), so the prefix is swept here.
    await queue.close();
    const redis = new IORedis(connection);
    const leftover = await redis.keys(`${prefix}:*`);
    if (leftover.length) await redis.del(...leftover);
    redis.disconnect();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('20 JPEGs copied slowly, some while the inbox is down, give exactly 20 detection jobs', async () => {
    const root = path.join(dir, 'bucket');
    const inputDir = path.join(root, 'images_for_detection');
    const ledgerFile = path.join(dir, 'inbox', 'detector.jsonl');
    await fs.mkdir(inputDir, { recursive: true });
    const images = await Promise.all(Array.from({ length: 20 }, () => jpeg()));
    const name = (i: number) => `photo-${String(i).padStart(2, '0')}.jpg`;
    const copy = (i: number) => slowCopy(path.join(inputDir, name(i)), images[i]!);
    let handled = 0;
    const makeInbox = (): EventInbox =>
      createFsEventInbox({ logger: silentLogger }, { root, bucket: 'local', prefixes: ['images_for_detection/'], ledgerFile, pollIntervalMs: 50, stableForMs: 400 });
    const handler = async (event: ObjectCreated) => {
      handled += 1;
      await queue.add('object-created', event, { jobId: objectCreatedJobId(event) });
    };
    const waitForJobs = async (n: number) => {
      const deadline = Date.now() + 15_000;
      while ((await queue.count()) < n && Date.now() < deadline) await sleep(50);
    };

    const first = makeInbox();
    await first.start(handler);
    await Promise.all([0, 1, 2, 3, 4, 5, 6, 7].map(copy));
    await waitForJobs(8);
    await first.stop();
    expect(await queue.count()).toBe(8);

    await Promise.all([8, 9, 10, 11, 12, 13].map(copy));
    // a crash after the handler but before the ledger write: the last deliveries are repeated
    const ledger = (await fs.readFile(ledgerFile, 'utf8')).trim().split('\n');
    await fs.writeFile(ledgerFile, `${ledger.slice(0, 5).join('\n')}\n`);
    const interrupted = copy(14);
    await sleep(150);
    const second = makeInbox();
    await second.start(handler);
    await Promise.all([interrupted, ...[15, 16, 17, 18, 19].map(copy)]);
    await waitForJobs(20);
    await sleep(1000);
    await second.stop();

    // 8 + the 3 whose ledger lines were lost + 12 new: the repeats were absorbed by the jobId
    expect(handled).toBe(23);
    expect(await queue.count()).toBe(20);
    const jobs = await queue.getJobs(['waiting']);
    const byKey = new Map(jobs.map((job) => [(job.data as ObjectCreated).key, job.data as ObjectCreated]));
    expect([...byKey.keys()].sort()).toEqual(images.map((_, i) => `images_for_detection/${name(i)}`));
    images.forEach((body, i) => expect(byKey.get(`images_for_detection/${name(i)}`)).toMatchObject({ size: body.length, eTag: md5(body) }));
  });
});
