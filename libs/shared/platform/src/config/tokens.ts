import { randomBytes } from 'crypto';
import { promises as fs } from 'fs';
import path from 'path';
import type { AppConfig } from './config.schema';

const TOKEN_FILES = { admin: 'admin-token', reviewer: 'reviewer-token' } as const;

async function loadOrCreate(dir: string, file: string): Promise<{ token: string; created: boolean }> {
  const full = path.join(dir, file);
  await fs.mkdir(dir, { recursive: true });
  const token = randomBytes(24).toString('base64url');
  try {
    // `wx` makes creation atomic: four services starting at once agree on one token.
    await fs.writeFile(full, token + '\n', { flag: 'wx', mode: 0o600 });
    return { token, created: true };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return { token: (await fs.readFile(full, 'utf8')).trim(), created: false };
  }
}

/**
 * Local profile: an unset admin/reviewer token is generated once and kept in the data directory
 * (libs/shared/platform/README.md, "Authentication"), so restarts keep working credentials.
 * Returns the config with tokens filled in.
 */
export async function ensureLocalTokens(config: AppConfig): Promise<{ config: AppConfig; generated: string[] }> {
  if (config.profile !== 'local') return { config, generated: [] };
  const dir = path.join(config.dataDir, 'secrets');
  const tokens = { ...config.tokens };
  const generated: string[] = [];
  for (const name of ['admin', 'reviewer'] as const) {
    if (tokens[name]) continue;
    const { token, created } = await loadOrCreate(dir, TOKEN_FILES[name]);
    tokens[name] = token;
    if (created) generated.push(name);
  }
  return { config: { ...config, tokens }, generated };
}

export function tokenFile(config: AppConfig, name: keyof typeof TOKEN_FILES): string {
  return path.join(config.dataDir, 'secrets', TOKEN_FILES[name]);
}
