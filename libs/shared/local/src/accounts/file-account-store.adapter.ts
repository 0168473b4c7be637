import { promises as fs } from 'fs';
import path from 'path';
import { isValid, RelabelError } from '@relabel/contracts';
import { ACCOUNT_NAME_PATTERN, AccountSchema, type Account, type AccountStore } from '@relabel/ports';
import { readFileIfExists, writeFileAtomic } from '../fs/atomic-file';

const NAME = new RegExp(ACCOUNT_NAME_PATTERN);

/**
 * Accounts as one JSON file each (`<dir>/<name>.json`), replaced atomically, readable from every
 * process. The file holds only scrypt and sha256 digests, and is written owner-only anyway. A file
 * that does not hold a valid account is an error, never skipped: an account silently missing could
 * be a revoked admin silently back, or a real one silently gone.
 */
export function createFileAccountStore(opts: { dir: string }): AccountStore {
  const dir = path.resolve(opts.dir);
  const fileOf = (name: string) => path.join(dir, `${name}.json`);

  async function read(name: string): Promise<Account | null> {
    let text: string | null;
    try {
      text = await readFileIfExists(fileOf(name));
    } catch (err) {
      throw new RelabelError('DEPENDENCY_UNAVAILABLE', `account ${name} cannot be read: ${(err as Error).message}`, undefined, { cause: err });
    }
    if (text === null) return null;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (!isValid(AccountSchema, parsed) || (parsed as Account).name !== name) {
      throw new RelabelError('DEPENDENCY_UNAVAILABLE', `account file ${fileOf(name)} does not hold a valid account`);
    }
    return parsed as Account;
  }

  return {
    async list() {
      let files: string[];
      try {
        files = await fs.readdir(dir);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw new RelabelError('DEPENDENCY_UNAVAILABLE', `accounts cannot be listed: ${(err as Error).message}`, undefined, { cause: err });
      }
      const names = files.filter((f) => f.endsWith('.json') && NAME.test(f.slice(0, -5))).map((f) => f.slice(0, -5)).sort();
      const accounts = await Promise.all(names.map(read));
      return accounts.filter((a): a is Account => a !== null);
    },
    get: (name) => (NAME.test(name) ? read(name) : Promise.resolve(null)),
    async put(account) {
      if (!isValid(AccountSchema, account)) throw new RelabelError('CONTRACT_INVALID_PAYLOAD', 'invalid account record');
      try {
        await writeFileAtomic(fileOf(account.name), `${JSON.stringify(account, null, 2)}\n`, { mode: 0o600 });
      } catch (err) {
        throw new RelabelError('DEPENDENCY_UNAVAILABLE', `account ${account.name} cannot be written: ${(err as Error).message}`, undefined, { cause: err });
      }
    },
  };
}
