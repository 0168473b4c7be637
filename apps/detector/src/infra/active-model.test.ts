import { silentLogger, type OperationalStateStore } from '@relabel/ports';
import { ActiveModelTracker } from './active-model';

function fakeState(initial: string | null) {
  const state = { value: initial as string | null, reads: 0, fail: false };
  return {
    state,
    store: {
      get: async (): Promise<string | null> => {
        state.reads++;
        if (state.fail) throw new Error('state store down');
        return state.value;
      },
    } as Pick<OperationalStateStore, 'get'>,
  };
}

describe('ActiveModelTracker', () => {
  it('reads once, then serves from cache until refreshed', async () => {
    const { state, store } = fakeState('v1');
    const tracker = new ActiveModelTracker(store, silentLogger);
    expect(await tracker.current()).toBe('v1');
    state.value = 'v2';
    expect(await tracker.current()).toBe('v1');
    expect(state.reads).toBe(1);
    expect(await tracker.refresh()).toBe('v2');
    expect(await tracker.current()).toBe('v2');
  });

  it('shares one read between concurrent refreshes', async () => {
    const { state, store } = fakeState(null);
    const tracker = new ActiveModelTracker(store, silentLogger);
    const results = await Promise.all([tracker.current(), tracker.current(), tracker.refresh()]);
    expect(results).toEqual([null, null, null]);
    expect(state.reads).toBe(1);
  });

  it('keeps the last known version when a refresh fails, but fails the very first read', async () => {
    const { state, store } = fakeState('v1');
    const tracker = new ActiveModelTracker(store, silentLogger);
    state.fail = true;
    await expect(tracker.current()).rejects.toThrow('state store down');
    state.fail = false;
    expect(await tracker.current()).toBe('v1');
    state.fail = true;
    expect(await tracker.refresh()).toBe('v1');
  });

  it('re-reads periodically once started', async () => {
    jest.useFakeTimers();
    try {
      const { state, store } = fakeState('v1');
      const tracker = new ActiveModelTracker(store, silentLogger);
      await tracker.current();
      state.value = 'v3';
      tracker.start(1000);
      await jest.advanceTimersByTimeAsync(1100);
      expect(await tracker.current()).toBe('v3');
      tracker.stop();
    } finally {
      jest.useRealTimers();
    }
  });
});
