import { promises as fs } from 'fs';
import os from 'os';
import path from 'path';
import { defaultParameters, PARAMETER_NAMES } from '@relabel/contracts';
import { silentLogger } from '@relabel/ports';
import { describeParameterStoreConformance } from '@relabel/ports/testing';
import { createFileParameterStore } from './file-parameter-store.adapter';
import { waitFor } from '@relabel/ports/testing';

async function tempDir(): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), 'relabel-params-'));
}

/** What an operator's editor does: read, change, write the whole file in place. */
async function editByHand(file: string, name: string, value: string | null): Promise<void> {
  const content = JSON.parse(await fs.readFile(file, 'utf8')) as Record<string, { Value: string }>;
  if (value === null) delete content[`/relabel/${name}`];
  else content[`/relabel/${name}`] = { ...content[`/relabel/${name}`], Value: value };
  await fs.writeFile(file, JSON.stringify(content, null, 2));
}

const open = (file: string) => createFileParameterStore({ logger: silentLogger }, { file, pathPrefix: '/relabel/', pollIntervalMs: 100 });

describeParameterStoreConformance('local file', async () => {
  const dir = await tempDir();
  const file = path.join(dir, 'parameters.json');
  const store = open(file);
  return {
    store,
    writeAround: (name, value) => editByHand(file, name, value),
    cleanup: async () => {
      await store.close();
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
});

describe('file parameter store', () => {
  let dir: string;
  let file: string;
  const stores: Array<{ close(): Promise<void> }> = [];
  const track = <T extends { close(): Promise<void> }>(s: T) => (stores.push(s), s);
  beforeEach(async () => {
    dir = await tempDir();
    file = path.join(dir, 'nested', 'parameters.json');
  });
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((s) => s.close()));
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('creates the file with the default values under the path prefix, recorded once as defaults', async () => {
    const [a, b] = [track(open(file)), track(open(file))];
    await Promise.all([a.getAll(), b.getAll()]);
    const content = JSON.parse(await fs.readFile(file, 'utf8'));
    expect(content['/relabel/Minimum-F1-Score']).toMatchObject({ Value: '0.8', Type: 'String', Version: 1 });
    expect(Object.keys(content)).toHaveLength(PARAMETER_NAMES.length);
    const values = Object.fromEntries((await a.getAll()).map((p) => [p.name, p.value]));
    expect(values).toEqual(Object.fromEntries(Object.entries(defaultParameters()).map(([k, v]) => [k, String(v)])));
    const history = await a.history({ limit: 100 });
    expect(history.items).toHaveLength(PARAMETER_NAMES.length);
    expect(history.items.every((c) => c.source === 'defaults' && c.oldValue === null)).toBe(true);
  });

  it('survives a restart and never resets an existing file to the defaults', async () => {
    const first = open(file);
    await first.put('Minimum-F1-Score', '0.85', { source: 'api:test' });
    await first.close();
    const second = track(open(file));
    expect((await second.getAll()).find((p) => p.name === 'Minimum-F1-Score')?.value).toBe('0.85');
    expect((await second.history({ name: 'Minimum-F1-Score' })).items[0]).toMatchObject({ oldValue: '0.8', newValue: '0.85', source: 'api:test' });
  });

  it('does not lose an update when two processes write at once', async () => {
    const [a, b] = [track(open(file)), track(open(file))];
    await a.getAll();
    await Promise.all([a.put('Minimum-Inference-Units', '2'), b.put('Minimum-Untrained-Images', '20'), a.put('Minimum-F1-Score', '0.5')]);
    const values = Object.fromEntries((await b.getAll()).map((p) => [p.name, p.value]));
    expect(values).toMatchObject({ 'Minimum-Inference-Units': '2', 'Minimum-Untrained-Images': '20', 'Minimum-F1-Score': '0.5' });
  });

  it('records a hand edit once even when several processes notice it, and bumps its version', async () => {
    const [a, b] = [track(open(file)), track(open(file))];
    await a.getAll();
    const seenA: string[] = [];
    const seenB: string[] = [];
    await a.watch((names) => seenA.push(...names));
    await b.watch((names) => seenB.push(...names));
    await editByHand(file, 'Enable-A2I-Workflow', 'FALSE');
    await waitFor(() => seenA.includes('Enable-A2I-Workflow') && seenB.includes('Enable-A2I-Workflow'));
    const history = await a.history({ name: 'Enable-A2I-Workflow' });
    expect(history.items.filter((c) => c.source === 'out-of-band')).toHaveLength(1);
    expect(history.items[0]).toMatchObject({ oldValue: 'true', newValue: 'FALSE', version: 2 });
    expect((await a.getAll()).find((p) => p.name === 'Enable-A2I-Workflow')).toMatchObject({ value: 'FALSE', version: 2 });
  });

  it('records a deleted parameter and a put after it continues its version', async () => {
    const store = track(open(file));
    await store.getAll();
    await editByHand(file, 'Minimum-Inference-Units', null);
    const deleted = (await store.history({ name: 'Minimum-Inference-Units' })).items[0];
    expect(deleted).toMatchObject({ oldValue: '1', newValue: null, source: 'out-of-band', version: 2 });
    const put = await store.put('Minimum-Inference-Units', '4');
    expect(put.version).toBe(3);
  });

  it('reads hand-written entries leniently so that bad ones surface as values, not as silence', async () => {
    const store = track(open(file));
    await store.getAll();
    const content = JSON.parse(await fs.readFile(file, 'utf8'));
    content['/relabel/Minimum-F1-Score'] = 0.9;
    content['/relabel/Minimum-Inference-Units'] = { Value: ['x'] };
    content['/other/Minimum-F1-Score'] = { Value: '0.1' };
    await fs.writeFile(file, JSON.stringify(content));
    const values = Object.fromEntries((await store.getAll()).map((p) => [p.name, p.value]));
    expect(values['Minimum-F1-Score']).toBe('0.9');
    expect(values['Minimum-Inference-Units']).toBe('{"Value":["x"]}');
  });

  it('answers PARAM_STORE_UNAVAILABLE for a file that is not JSON, tells watchers, and refuses to overwrite it', async () => {
    const store = track(open(file));
    await store.getAll();
    const seen: string[][] = [];
    await store.watch((names) => seen.push(names));
    await fs.writeFile(file, '{ "/relabel/Minimum-F1-Score": ');
    await expect(store.getAll()).rejects.toMatchObject({ code: 'PARAM_STORE_UNAVAILABLE' });
    await expect(store.put('Minimum-F1-Score', '0.5')).rejects.toMatchObject({ code: 'PARAM_STORE_UNAVAILABLE' });
    expect(await fs.readFile(file, 'utf8')).toBe('{ "/relabel/Minimum-F1-Score": ');
    await waitFor(() => seen.some((names) => names.includes('Minimum-F1-Score')));
  });

  it('refuses a name that would leave the path', async () => {
    const store = track(open(file));
    await expect(store.put('../x', '1')).rejects.toMatchObject({ code: 'PARAM_UNKNOWN' });
    await expect(store.put('a/b', '1')).rejects.toMatchObject({ code: 'PARAM_UNKNOWN' });
  });
});
