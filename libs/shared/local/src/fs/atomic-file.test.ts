import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'fs/promises';
import { tmpdir } from 'os';
import { join } from 'path';
import { readFileIfExists, replaceFileAtomic, writeFileAtomic } from './atomic-file';

describe('atomic file replace', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'relabel-atomic-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('replaces the whole file, leaves no temp behind, and keeps the old content when filling fails', async () => {
    const file = join(dir, 'sub', 'state.json');
    expect(await readFileIfExists(file)).toBeNull();
    await writeFileAtomic(file, 'one', { mode: 0o600 });
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    await writeFileAtomic(file, 'two');
    expect(await readFileIfExists(file)).toBe('two');

    const fillThenFail = async (temp: string) => {
      await writeFile(temp, 'half');
      throw new Error('disk full');
    };
    await expect(replaceFileAtomic(file, fillThenFail)).rejects.toThrow('disk full');
    expect(await readFile(file, 'utf8')).toBe('two');
    expect(await readdir(join(dir, 'sub'))).toEqual(['state.json']);
  });

  it('writes through a separate temp dir and runs the check before the rename', async () => {
    const temps = join(dir, 'tmp');
    await mkdir(temps);
    const file = join(dir, 'objects', 'a.bin');
    await expect(writeFileAtomic(file, 'x', { tempDir: temps, beforeRename: async () => Promise.reject(new Error('outside')) })).rejects.toThrow('outside');
    expect(await readFileIfExists(file)).toBeNull();
    await writeFileAtomic(file, 'x', { tempDir: temps });
    expect(await readFile(file, 'utf8')).toBe('x');
    expect(await readdir(temps)).toEqual([]);
  });
});
