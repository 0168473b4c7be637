/**
 * Local event inbox bench: `npx tsx scripts/bench/fs-inbox.bench.ts [--quick]` (no Redis needed).
 *
 * With the production defaults (poll 500 ms, stable 1000 ms) it measures:
 *  - drop: N files (~60 KB each) written at once into `images_for_detection/` → time until the last
 *    event was handled, and the spread after the first;
 *  - idle: CPU share of the inbox over a few seconds with all those files delivered (the steady
 *    cost of polling a big folder);
 *  - restart: a new inbox over the same ledger → time until its first scan is done (no event may
 *    be repeated, no file re-hashed thanks to the stat fields in the ledger).
 * Numbers are printed, never asserted.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '@relabel/ports';
import { createFsEventInbox } from '@relabel/local-adapters';

const quick = process.argv.includes('--quick');
const FILES = quick ? 500 : 3000;
const IDLE_MS = quick ? 3000 : 6000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  const dir = await fs.mkdtemp(join(tmpdir(), 'relabel-inbox-bench-'));
  const root = join(dir, 'bucket');
  const input = join(root, 'images_for_detection');
  const ledgerFile = join(dir, 'inbox', 'bench.jsonl');
  await fs.mkdir(input, { recursive: true });
  const opts = { root, bucket: 'local', prefixes: ['images_for_detection/'], ledgerFile };
  try {
    let handled = 0;
    let lastAt = 0;
    const inbox = createFsEventInbox({ logger: silentLogger }, opts);
    await inbox.start(async () => {
      handled += 1;
      lastAt = Date.now();
    });
    const t0 = Date.now();
    await Promise.all(Array.from({ length: FILES }, (_, i) => fs.writeFile(join(input, `img-${i}.jpg`), randomBytes(60_000))));
    const written = Date.now();
    while (handled < FILES) await sleep(20);
    console.log(`drop: ${FILES} files written in ${written - t0} ms; all delivered ${lastAt - written} ms after the last write (stableForMs 1000 + poll 500 included)`);

    const cpu0 = process.cpuUsage();
    const wall0 = Date.now();
    await sleep(IDLE_MS);
    const cpu = process.cpuUsage(cpu0);
    const share = ((cpu.user + cpu.system) / 1000 / (Date.now() - wall0)) * 100;
    console.log(`idle: ${share.toFixed(1)}% of one core while polling ${FILES} delivered files every 500 ms`);
    await inbox.stop();

    let repeated = 0;
    const again = createFsEventInbox({ logger: silentLogger }, opts);
    const r0 = Date.now();
    await again.start(async () => {
      repeated += 1;
    });
    await sleep(600);
    await again.stop();
    console.log(`restart: start + first scan + stop of ${FILES} delivered files in ${Date.now() - r0} ms (600 ms of it waiting); repeated events: ${repeated}`);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
