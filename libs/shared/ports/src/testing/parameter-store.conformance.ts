import type { ParameterStore } from '../parameter-store.port';
import { describeConformance } from './conformance-suite';

export interface ParameterStoreUnderTest {
  store: ParameterStore;
  /**
   * Writes a value around the store, the way an operator would by hand (edit the local file, a direct
   * SSM PutParameter that arrives as an EventBridge event); null deletes it.
   */
  writeAround(name: string, value: string | null): Promise<void>;
  cleanup(): Promise<void>;
}

/** Polls until `check` passes (change notices are asynchronous); fails with the last error. */
async function eventually(check: () => void, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      check();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}

/**
 * The contract every ParameterStore adapter passes (local file, SSM). `makeStore` gives a fresh store
 * over an empty or default-seeded path per test; `cleanup` removes whatever it made.
 */
export function describeParameterStoreConformance(name: string, makeStore: () => Promise<ParameterStoreUnderTest>): void {
  describeConformance('ParameterStore', name, makeStore, (sut) => {
    const store = () => sut().store;

    it('put then getAll answers the value under the short name, as a string, with a growing version', async () => {
      const first = await store().put('Minimum-F1-Score', '0.85', { source: 'api:test' });
      const second = await store().put('Minimum-F1-Score', '0.9', { source: 'api:test' });
      expect(second.version).toBeGreaterThan(first.version);
      const all = await store().getAll();
      const f1 = all.find((p) => p.name === 'Minimum-F1-Score');
      expect(f1).toMatchObject({ name: 'Minimum-F1-Score', value: '0.9', version: second.version });
      expect(Number.isNaN(Date.parse(f1!.lastModified))).toBe(false);
      expect(all.every((p) => !p.name.includes('/'))).toBe(true);
    });

    it('stores any string verbatim: validation belongs to the caller', async () => {
      await store().put('Minimum-Untrained-Images', ' 1,000 ');
      expect((await store().getAll()).find((p) => p.name === 'Minimum-Untrained-Images')?.value).toBe(' 1,000 ');
    });

    it('records every write in the history, newest first, with old value, new value and source', async () => {
      await store().put('Minimum-Inference-Units', '2', { source: 'api:alice' });
      await store().put('Minimum-Inference-Units', '3', { source: 'api:bob' });
      const { items } = await store().history({ name: 'Minimum-Inference-Units' });
      expect(items[0]).toMatchObject({ name: 'Minimum-Inference-Units', oldValue: '2', newValue: '3', source: 'api:bob' });
      expect(items[1]).toMatchObject({ newValue: '2', source: 'api:alice' });
      expect(items[0]!.version).toBeGreaterThan(items[1]!.version);
      expect(Date.parse(items[0]!.at)).toBeGreaterThanOrEqual(Date.parse(items[1]!.at));
    });

    it('pages the history with a cursor, without repeats or gaps', async () => {
      for (const v of ['1', '2', '3', '4', '5']) await store().put('Automatic-Training-Poll-Frequency', v, { source: 'api:test' });
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await store().history({ name: 'Automatic-Training-Poll-Frequency', limit: 2, cursor });
        expect(page.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.items.map((c) => c.newValue ?? 'deleted'));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen.slice(0, 5)).toEqual(['5', '4', '3', '2', '1']);
    });

    it('reports writes through the store and writes made around it to watchers, and stops on request', async () => {
      const seen: string[][] = [];
      const stop = await store().watch((names) => seen.push(names));
      await store().put('Enable-A2I-Workflow', 'false', { source: 'api:test' });
      await eventually(() => expect(seen.flat()).toContain('Enable-A2I-Workflow'));
      await sut().writeAround('Minimum-Label-Detection-Confidence', '55');
      await eventually(() => expect(seen.flat()).toContain('Minimum-Label-Detection-Confidence'));
      expect((await store().getAll()).find((p) => p.name === 'Minimum-Label-Detection-Confidence')?.value).toBe('55');
      await stop();
      const count = seen.length;
      await store().put('Enable-A2I-Workflow', 'true');
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(seen.length).toBe(count);
    });

    it('lists a write made around the store in the history as out-of-band', async () => {
      await store().put('Minimum-F1-Score', '0.7', { source: 'api:test' });
      await sut().writeAround('Minimum-F1-Score', '0.75');
      let items: Awaited<ReturnType<ParameterStore['history']>>['items'] = [];
      const deadline = Date.now() + 5000;
      for (;;) {
        items = (await store().history({ name: 'Minimum-F1-Score' })).items;
        if (items[0]?.newValue === '0.75' || Date.now() > deadline) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(items[0]).toMatchObject({ name: 'Minimum-F1-Score', oldValue: '0.7', newValue: '0.75' });
      expect(items[0]!.source).not.toMatch(/^api/);
    });
  });
}
