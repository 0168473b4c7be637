import { promises as fs } from 'fs';
import os from 'os';
import path from 'path';
import { CONFIG_CHANGED_CHANNEL, ParameterName, Parameters } from '@relabel/contracts';
import { createFileParameterStore } from '@relabel/local-adapters';
import { silentLogger } from '@relabel/ports';
import { ParametersCache } from './parameters-cache';
import { waitFor } from '@relabel/ports/testing';

/** An in-process stand-in for Redis pub/sub; the store is the real local file store. */
function fakeBus() {
  const handlers = new Map<string, Array<(m: unknown) => void>>();
  return {
    subscribe: async (channel: string, handler: (m: unknown) => void) => void handlers.set(channel, [...(handlers.get(channel) ?? []), handler]),
    publish: (channel: string) => (handlers.get(channel) ?? []).forEach((h) => h({})),
  };
}

describe('ParametersCache', () => {
  let dir: string;
  let file: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'relabel-cache-'));
    file = path.join(dir, 'parameters.json');
  });
  afterEach(() => fs.rm(dir, { recursive: true, force: true }));

  const make = (refreshMs = 60_000) => {
    const store = createFileParameterStore({ logger: silentLogger }, { file, pathPrefix: '/relabel/' });
    const bus = fakeBus();
    const cache = new ParametersCache({ store, subscribe: bus.subscribe, logger: silentLogger, refreshMs });
    return { store, bus, cache };
  };

  it('re-reads on config.changed and tells listeners which values changed', async () => {
    const { store, bus, cache } = make();
    await cache.start();
    const calls: Array<[Parameters, ParameterName[]]> = [];
    cache.onChange((next, names) => void calls.push([next, names]));
    await store.put('Minimum-F1-Score', '0.85');
    await store.put('Enable-Automatic-Training', 'FALSE');
    bus.publish(CONFIG_CHANGED_CHANNEL);
    await waitFor(() => calls.length === 1);
    expect(calls[0]![1].sort()).toEqual(['Enable-Automatic-Training', 'Minimum-F1-Score']);
    expect(cache.current()).toMatchObject({ 'Minimum-F1-Score': 0.85, 'Enable-Automatic-Training': false });
    await cache.stop();
  });

  it('keeps the last valid value for a bad stored value, reports it, and clears it once fixed', async () => {
    const { store, cache } = make();
    await cache.start();
    await store.put('Minimum-F1-Score', '0.6');
    await cache.refresh();
    await store.put('Minimum-F1-Score', '1.5');
    await cache.refresh();
    expect(cache.current()['Minimum-F1-Score']).toBe(0.6);
    expect(cache.issues()).toEqual([expect.objectContaining({ name: 'Minimum-F1-Score', value: '1.5', inForce: 0.6 })]);
    await store.put('Minimum-F1-Score', '0.7');
    await cache.refresh();
    expect(cache.current()['Minimum-F1-Score']).toBe(0.7);
    expect(cache.issues()).toEqual([]);
    await cache.stop();
  });

  it('on a cold start with a bad stored value uses the newest valid value from the history', async () => {
    const { store } = make();
    await store.put('Minimum-Label-Detection-Confidence', '55');
    await store.put('Minimum-Label-Detection-Confidence', 'abc');
    const { cache } = make();
    await cache.start();
    expect(cache.current()['Minimum-Label-Detection-Confidence']).toBe(55);
    expect(cache.issues()).toEqual([expect.objectContaining({ name: 'Minimum-Label-Detection-Confidence', value: 'abc', inForce: 55 })]);
    await cache.stop();
  });

  it('refreshes periodically without any message', async () => {
    const { store, cache } = make(50);
    await cache.start();
    await store.put('Minimum-Inference-Units', '3');
    await waitFor(() => cache.current()['Minimum-Inference-Units'] === 3);
    await cache.stop();
  });

  it('keeps the values in force while the store cannot be read', async () => {
    const { store, cache } = make();
    await store.put('Minimum-Untrained-Images', '25');
    await cache.start();
    await fs.writeFile(file, 'not json');
    await cache.refresh();
    expect(cache.current()['Minimum-Untrained-Images']).toBe(25);
    expect(cache.readError()?.message).toMatch(/not valid JSON/);
    await cache.stop();
  });
});
