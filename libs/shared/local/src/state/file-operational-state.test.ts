import { promises as fs } from 'fs';
import os from 'os';
import path from 'path';
import { describeOperationalStateConformance } from '@relabel/ports/testing';
import { createFileOperationalStateStore } from './file-operational-state.adapter';

describeOperationalStateConformance('local files', async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'relabel-state-'));
  return {
    open: () => createFileOperationalStateStore({ dir: path.join(dir, 'state') }),
    cleanup: () => fs.rm(dir, { recursive: true, force: true }),
  };
});

describe('file operational state store', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'relabel-state-'));
  });
  afterEach(() => fs.rm(dir, { recursive: true, force: true }));

  it('keeps one readable file per item and leaves no temp files behind', async () => {
    const store = createFileOperationalStateStore({ dir });
    await store.set('activeModelVersion', 'v7');
    expect(JSON.parse(await fs.readFile(path.join(dir, 'activeModelVersion.json'), 'utf8'))).toMatchObject({ value: 'v7' });
    expect(await fs.readdir(dir)).toEqual(['activeModelVersion.json']);
  });

  it('refuses to answer from a corrupt file instead of forgetting the live model', async () => {
    await fs.writeFile(path.join(dir, 'activeModelVersion.json'), '{"value": 12}');
    await expect(createFileOperationalStateStore({ dir }).get('activeModelVersion')).rejects.toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE' });
  });
});
