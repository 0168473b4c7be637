import { promises as fs } from 'fs';
import os from 'os';
import path from 'path';
import { describeAccountStoreConformance, sampleAccount } from '@relabel/ports/testing';
import { createFileAccountStore } from './file-account-store.adapter';

describeAccountStoreConformance('local files', async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'relabel-accounts-'));
  return { open: () => createFileAccountStore({ dir: path.join(dir, 'accounts') }), cleanup: () => fs.rm(dir, { recursive: true, force: true }) };
});

describe('file account store', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'relabel-accounts-'));
  });
  afterEach(() => fs.rm(dir, { recursive: true, force: true }));

  it('keeps one file per account, readable by its owner only', async () => {
    await createFileAccountStore({ dir }).put(sampleAccount('alice'));
    expect(await fs.readdir(dir)).toEqual(['alice.json']);
    expect((await fs.stat(path.join(dir, 'alice.json'))).mode & 0o077).toBe(0);
  });

  it('refuses to answer from a corrupt file instead of dropping the account', async () => {
    await fs.writeFile(path.join(dir, 'alice.json'), '{"name":"alice"}');
    await expect(createFileAccountStore({ dir }).list()).rejects.toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE' });
  });
});
