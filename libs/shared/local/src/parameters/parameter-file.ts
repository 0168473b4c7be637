import { RelabelError } from '@relabel/contracts';
import type { StoredParameter } from '@relabel/ports';

/**
 * One parameter in the local file, shaped like SSM's (`Value` is always a string). The file is a JSON
 * object keyed by the full parameter name, e.g.
 * `{ "/relabel/Minimum-F1-Score": { "Value": "0.8", "Type": "String", "Version": 1, "LastModifiedDate": "…" } }`.
 */
export interface FileEntry {
  Value: string;
  Type: 'String';
  Version: number;
  LastModifiedDate: string;
}

export type ParameterFile = Record<string, FileEntry>;

/** `/relabel` and `relabel/` both become `/relabel/`. */
export function normalisePrefix(prefix: string): string {
  const withLead = prefix.startsWith('/') ? prefix : `/${prefix}`;
  return withLead.endsWith('/') ? withLead : `${withLead}/`;
}

/**
 * Parses the file text. Operators edit this file by hand, so entries are read leniently (a bare
 * string or number is taken as the value) and anything else becomes a value that fails validation
 * later — visible in `/status` rather than silently dropped. Only text that is not a JSON object at
 * all is refused.
 */
export function parseParameterFile(text: string, file: string): ParameterFile {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new RelabelError('PARAM_STORE_UNAVAILABLE', `parameter file ${file} is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new RelabelError('PARAM_STORE_UNAVAILABLE', `parameter file ${file} must hold a JSON object keyed by parameter name`);
  }
  const out: ParameterFile = {};
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) out[key] = normaliseEntry(value);
  return out;
}

function normaliseEntry(value: unknown): FileEntry {
  const entry = typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : { Value: value };
  const v = entry.Value;
  const text = typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(value) ?? '';
  const version = typeof entry.Version === 'number' && Number.isInteger(entry.Version) && entry.Version >= 0 ? entry.Version : 0;
  const modified = typeof entry.LastModifiedDate === 'string' ? entry.LastModifiedDate : new Date(0).toISOString();
  return { Value: text, Type: 'String', Version: version, LastModifiedDate: modified };
}

export function serialiseParameterFile(content: ParameterFile): string {
  const sorted: ParameterFile = {};
  for (const key of Object.keys(content).sort()) sorted[key] = content[key]!;
  return `${JSON.stringify(sorted, null, 2)}\n`;
}

/** Direct children of the prefix only, like GetParametersByPath without Recursive. */
export function shortName(prefix: string, key: string): string | null {
  if (!key.startsWith(prefix)) return null;
  const rest = key.slice(prefix.length);
  return rest.length > 0 && !rest.includes('/') ? rest : null;
}

export function toStoredParameters(prefix: string, content: ParameterFile): StoredParameter[] {
  const out: StoredParameter[] = [];
  for (const [key, entry] of Object.entries(content)) {
    const name = shortName(prefix, key);
    if (name) out.push({ name, value: entry.Value, version: entry.Version, lastModified: entry.LastModifiedDate });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

export function assertParameterName(name: string): void {
  if (!/^[A-Za-z0-9_.-]{1,128}$/.test(name)) {
    throw new RelabelError('PARAM_UNKNOWN', `parameter name ${JSON.stringify(name).slice(0, 140)} is not allowed`);
  }
}
