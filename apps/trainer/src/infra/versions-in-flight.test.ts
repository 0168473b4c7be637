import { MemoryStateStore } from '../testing/memory-ports';
import { clearInFlight, markInFlight } from './versions-in-flight';

describe('versionsInFlight', () => {
  it('adds a version once, replaces a retried one and clears a finished one', async () => {
    const state = new MemoryStateStore();
    let writes = 0;
    const set = state.set.bind(state);
    state.set = async (item, value) => {
      writes += 1;
      await set(item, value);
    };
    await markInFlight(state, 'r1');
    await markInFlight(state, 'r1');
    await markInFlight(state, 'other');
    expect(state.values.versionsInFlight).toEqual(['r1', 'other']);
    expect(writes).toBe(2);
    await markInFlight(state, 'r1-2', { replacing: 'r1' });
    expect(state.values.versionsInFlight).toEqual(['other', 'r1-2']);
    await clearInFlight(state, 'r1-2');
    await clearInFlight(state, 'never-there');
    expect(state.values.versionsInFlight).toEqual(['other']);
    expect(writes).toBe(4);
  });
});
