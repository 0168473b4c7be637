/** The object store layout (root README, "Object store layout"): the same keys in both profiles. */
export const PREFIX = {
  labeled: 'images_labeled_by_folder/',
  forDetection: 'images_for_detection/',
  humanLoopData: 'a2i-human-loop-data/',
  detectionResults: 'detection_results/',
  manifests: 'manifests/',
  evaluation: 'evaluation/',
  models: 'models/',
} as const;

const IMAGE_EXT = /\.(jpe?g|png)$/i;

/** Only JPEG and PNG are images; the name is checked here, the bytes by the image decoder. */
export function hasImageExtension(key: string): boolean {
  return IMAGE_EXT.test(key);
}

export function isDetectionInputKey(key: string): boolean {
  return key.startsWith(PREFIX.forDetection) && key.length > PREFIX.forDetection.length;
}

export function isHumanLoopOutputKey(key: string): boolean {
  return key.startsWith(PREFIX.humanLoopData) && key.endsWith('/output.json');
}

/** `images_for_detection/a/b.jpg` → `detection_results/a/b.jpg.json` */
export function detectionResultKey(imageKey: string): string {
  const rel = imageKey.startsWith(PREFIX.forDetection) ? imageKey.slice(PREFIX.forDetection.length) : imageKey;
  return `${PREFIX.detectionResults}${rel}.json`;
}

/** `images_labeled_by_folder/<label>/<file>` → `{ label, file }`, or null for anything else. */
export function parseLabeledKey(key: string): { label: string; file: string } | null {
  if (!key.startsWith(PREFIX.labeled)) return null;
  const parts = key.slice(PREFIX.labeled.length).split('/');
  if (parts.length !== 2 || !parts[0] || !parts[1]) return null;
  return { label: parts[0], file: parts[1] };
}

export function labeledImageKey(label: string, file: string): string {
  return `${PREFIX.labeled}${label}/${file}`;
}

export function manifestKey(version: string, split: 'train' | 'test'): string {
  return `${PREFIX.manifests}${version}/${split}.manifest`;
}

export function evaluationSummaryKey(version: string): string {
  return `${PREFIX.evaluation}${version}/summary.json`;
}

/** `a2i-human-loop-data/<flow>/YYYY/MM/DD/hh/mm/ss/<loop>/output.json`, in UTC like A2I. */
export function humanLoopOutputKey(flow: string, loopName: string, at: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  const stamp = [at.getUTCFullYear(), p(at.getUTCMonth() + 1), p(at.getUTCDate()), p(at.getUTCHours()), p(at.getUTCMinutes()), p(at.getUTCSeconds())].join('/');
  return `${PREFIX.humanLoopData}${flow}/${stamp}/${loopName}/output.json`;
}
