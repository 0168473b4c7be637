/**
 * Child process of the model bench: serves an already RUNNING version from the shared store (as
 * the detector process does) and prints its detect latency over a folder of frames and its peak RSS
 * as JSON. Usage: npx tsx scripts/bench/model-serve-rss.ts <bucketRoot> <cacheDir> <version> <framesDir>
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { peakRssMb } from './peak-rss';
import { silentLogger } from '@relabel/ports';
import { createFsObjectStore, createLocalModelService } from '@relabel/local-adapters';

async function main() {
  const [root, cacheDir, version, framesDir] = process.argv.slice(2) as [string, string, string, string];
  const service = createLocalModelService({ store: createFsObjectStore({ root, bucket: 'bench' }), logger: silentLogger }, { cacheDir });
  const frames = readdirSync(framesDir).map((f) => readFileSync(join(framesDir, f)));
  await service.detect(version, { bytes: frames[0]! }); // loads the backbone and the head
  const times: number[] = [];
  for (let round = 0; round < 2; round++)
    for (const frame of frames) {
      const t0 = performance.now();
      await service.detect(version, { bytes: frame }, { maxResults: 1 });
      times.push(performance.now() - t0);
    }
  const mean = times.reduce((a, b) => a + b, 0) / times.length;
  times.sort((a, b) => a - b);
  console.log(JSON.stringify({ medianMs: times[Math.floor(times.length / 2)], meanMs: mean, peakRssMb: peakRssMb() }));
  await service.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
