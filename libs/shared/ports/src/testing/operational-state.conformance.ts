import { INITIAL_OPERATIONAL_STATE, type OperationalStateStore } from '../operational-state.port';
import { describeConformance } from './conformance-suite';

export interface OperationalStateUnderTest {
  /** a store over the same backing data, as another process would open it */
  open(): OperationalStateStore;
  cleanup(): Promise<void>;
}

/** The contract every OperationalStateStore adapter passes. */
export function describeOperationalStateConformance(name: string, make: () => Promise<OperationalStateUnderTest>): void {
  describeConformance('OperationalStateStore', name, make, (sut) => {
    it('answers the initial state before anything is written', async () => {
      expect(await sut().open().getAll()).toEqual(INITIAL_OPERATIONAL_STATE);
      expect(await sut().open().get('activeModelVersion')).toBeNull();
    });

    it('keeps each item apart and shows writes to every reader', async () => {
      const writer = sut().open();
      await writer.set('activeModelVersion', 'v3');
      await writer.set('versionsInFlight', ['v4']);
      await writer.set('lastDeployedDatasetImages', 42);
      await writer.set('declaredLabels', ['heron']);
      const reader = sut().open();
      expect(await reader.getAll()).toEqual({ activeModelVersion: 'v3', versionsInFlight: ['v4'], lastDeployedDatasetImages: 42, declaredLabels: ['heron'] });
      await writer.set('versionsInFlight', []);
      expect(await reader.get('versionsInFlight')).toEqual([]);
      expect(await reader.get('activeModelVersion')).toBe('v3');
    });

    it('never shows a mix of two writers racing on the same item', async () => {
      const a = sut().open();
      const b = sut().open();
      const writes = Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).set('versionsInFlight', [`v${i}`, `w${i}`]));
      const reads = Array.from({ length: 20 }, () => sut().open().get('versionsInFlight'));
      const results = await Promise.all([...writes, ...reads]);
      for (const value of results.slice(20) as string[][]) {
        if (value.length === 0) continue;
        expect(value[0]!.slice(1)).toBe(value[1]!.slice(1));
      }
      const final = await a.get('versionsInFlight');
      expect(final).toHaveLength(2);
    });

    it('refuses a value of the wrong shape and keeps the old one', async () => {
      const store = sut().open();
      await store.set('lastDeployedDatasetImages', 7);
      await expect(store.set('lastDeployedDatasetImages', -1)).rejects.toMatchObject({ code: expect.any(String) });
      await expect(store.set('activeModelVersion', 5 as unknown as string)).rejects.toMatchObject({ code: expect.any(String) });
      expect(await store.get('lastDeployedDatasetImages')).toBe(7);
    });
  });
}
