/**
 * Child process of the model bench: trains one version from manifests already in the shared store,
 * with an embedding cache of its own (so every image is decoded and embedded, as in a first
 * training), and prints its wall time and peak RSS as JSON — the training's memory on its own,
 * without the bench's dataset and other versions.
 * Usage: npx tsx scripts/bench/model-train-rss.ts <bucketRoot> <cacheDir> <version> <trainManifestKey> <testManifestKey>
 */
import { silentLogger } from '@relabel/ports';
import { waitForStatus } from '@relabel/ports/testing';
import { createFsObjectStore, createLocalModelService } from '@relabel/local-adapters';
import { peakRssMb } from './peak-rss';

async function main() {
  const [root, cacheDir, version, trainManifestKey, testManifestKey] = process.argv.slice(2) as [string, string, string, string, string];
  const service = createLocalModelService({ store: createFsObjectStore({ root, bucket: 'bench' }), logger: silentLogger }, { cacheDir });
  const t0 = performance.now();
  await service.createVersion({ version, trainManifestKey, testManifestKey });
  const info = await waitForStatus(service, version, ['TRAINING_COMPLETED', 'TRAINING_FAILED'], 30 * 60_000);
  if (info.status !== 'TRAINING_COMPLETED') throw new Error(`${version}: ${info.statusMessage}`);
  console.log(JSON.stringify({ seconds: (performance.now() - t0) / 1000, peakRssMb: peakRssMb() }));
  await service.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
