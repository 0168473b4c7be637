/**
 * Child process of the model bench: serves an already RUNNING version from the shared store (as
 * the detector process does) and prints its detect latency and peak RSS as JSON.
 * Usage: npx tsx scripts/bench/model-serve-rss.ts <bucketRoot> <cacheDir> <version> <imageFile>
 */
import { readFileSync } from 'node:fs';
import { peakRssMb } from './peak-rss';
import { silentLogger } from '@relabel/ports';
import { createFsObjectStore, createLocalModelService } from '@relabel/local-adapters';

async function main() {
  const [root, cacheDir, version, imageFile] = process.argv.slice(2) as [string, string, string, string];
  const service = createLocalModelService({ store: createFsObjectStore({ root, bucket: 'bench' }), logger: silentLogger }, { cacheDir });
  const image = readFileSync(imageFile);
  const times: number[] = [];
  let top = '';
  for (let i = 0; i < 31; i++) {
    const t0 = performance.now();
    top = (await service.detect(version, { bytes: image }, { maxResults: 1 }))[0]!.name;
    if (i > 0) times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  console.log(JSON.stringify({ top, medianMs: times[15], peakRssMb: peakRssMb() }));
  await service.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
