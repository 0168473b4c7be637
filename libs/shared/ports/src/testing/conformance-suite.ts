/** What every conformance suite is handed by the adapter's test: the thing under test and how to undo it. */
export interface UnderTest {
  /** removes what the test made (temp dir, mocks, connections) */
  cleanup(): Promise<void>;
}

/**
 * The one shape of every port's conformance suite: a fresh subject per test from `make`, cleaned up
 * after it. `tests` registers the port's cases and reads the current subject through `subject()`.
 * Its own hooks run between the two: a `beforeEach` sees the subject made, an `afterEach` (stopping what
 * a case started) runs before the cleanup.
 */
export function describeConformance<T extends UnderTest>(port: string, name: string, make: () => Promise<T>, tests: (subject: () => T) => void): void {
  describe(`${port} conformance: ${name}`, () => {
    let current: T | undefined;
    beforeEach(async () => {
      current = await make();
    });
    tests(() => {
      if (!current) throw new Error(`${port} conformance: no subject outside a test`);
      return current;
    });
    // registered after the suite's own hooks, so it runs after them
    afterEach(async () => {
      const done = current;
      current = undefined;
      await done?.cleanup();
    });
  });
}
