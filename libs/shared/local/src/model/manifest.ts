/** One labelled image of a Ground Truth image-classification manifest. */
export interface ManifestEntry {
  key: string;
  label: string;
}

export interface ParsedManifest {
  entries: ManifestEntry[];
  /** 1-based line numbers with the reason they were skipped. */
  rejected: { line: number; reason: string }[];
}

/** `s3://bucket/a/b.jpg` → `a/b.jpg`; a plain key is returned as is. */
export function keyFromSourceRef(sourceRef: string): string | null {
  if (sourceRef.startsWith('s3://')) {
    const slash = sourceRef.indexOf('/', 5);
    return slash > 5 && slash < sourceRef.length - 1 ? sourceRef.slice(slash + 1) : null;
  }
  return sourceRef.length > 0 && !sourceRef.includes('://') ? sourceRef.replace(/^\/+/, '') : null;
}

/**
 * Parses a manifest (one JSON object per line): `source-ref`, a class attribute `<attr>` and its
 * `<attr>-metadata` carrying `class-name`. The attribute name is free, as in Ground Truth jobs.
 * Bad lines are reported, not fatal; blank lines are ignored.
 */
export function parseManifest(text: string): ParsedManifest {
  const entries: ManifestEntry[] = [];
  const rejected: ParsedManifest['rejected'] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (!line) return;
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch {
      rejected.push({ line: index + 1, reason: 'not JSON' });
      return;
    }
    if (!record || typeof record !== 'object' || Array.isArray(record)) {
      rejected.push({ line: index + 1, reason: 'not a JSON object' });
      return;
    }
    const fields = record as Record<string, unknown>;
    const sourceRef = fields['source-ref'];
    const key = typeof sourceRef === 'string' ? keyFromSourceRef(sourceRef) : null;
    if (!key) {
      rejected.push({ line: index + 1, reason: 'missing or invalid source-ref' });
      return;
    }
    const metadataField = Object.keys(fields).find((name) => {
      const meta = fields[name];
      return name.endsWith('-metadata') && name.slice(0, -'-metadata'.length) in fields && !!meta && typeof meta === 'object' && typeof (meta as Record<string, unknown>)['class-name'] === 'string';
    });
    const label = metadataField ? ((fields[metadataField] as Record<string, unknown>)['class-name'] as string).trim() : '';
    if (!label) {
      rejected.push({ line: index + 1, reason: 'no class attribute with class-name metadata' });
      return;
    }
    entries.push({ key, label });
  });
  return { entries, rejected };
}
