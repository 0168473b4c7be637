import { classificationScores, isRelabelError, parseGroundTruthClassificationLine } from '@relabel/contracts';
import type { ModelService, ObjectStore } from '@relabel/ports';
import type { Evaluation } from '../domain/training-run.schema';

/**
 * Scores the live model on the candidate's test manifest, image by image, so champion and
 * challenger are compared on exactly the same images. The prediction is the live model's top label.
 */
export async function evaluateOnTestManifest(
  deps: { store: ObjectStore; models: ModelService },
  version: string,
  testManifestKey: string,
): Promise<Evaluation> {
  const text = (await deps.store.get(testManifestKey)).body.toString('utf8');
  const entries = text.split('\n').filter((line) => line.trim()).map(parseGroundTruthClassificationLine);
  const labels = [...new Set(entries.map((e) => e.label))].sort();
  const samples = [];
  for (const entry of entries) {
    samples.push({ actual: entry.label, predicted: await topLabel(deps.models, version, entry.key) });
  }
  const scores = classificationScores(samples, labels);
  return { f1: scores.f1, precision: scores.precision, recall: scores.recall, perLabel: scores.perLabel, testImages: scores.testImages };
}

/** An image the live model cannot read counts as a miss; any other failure aborts the comparison. */
async function topLabel(models: ModelService, version: string, key: string): Promise<string | null> {
  try {
    const [top] = await models.detect(version, { key }, { maxResults: 1 });
    return top?.name ?? null;
  } catch (err) {
    if (isRelabelError(err) && err.code.startsWith('IMAGE_')) return null;
    throw err;
  }
}
