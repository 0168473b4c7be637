/**
 * Answers assembled from independent parts (`GET /status`, the console overview): each part is
 * awaited on its own, and a failing one is named in `unavailable` instead of failing the answer.
 */
export function sectionCollector(): {
  unavailable: Array<{ section: string; message: string }>;
  section: <T>(name: string, fn: () => Promise<T>) => Promise<T | null>;
} {
  const unavailable: Array<{ section: string; message: string }> = [];
  return {
    unavailable,
    async section(name, fn) {
      try {
        return await fn();
      } catch (err) {
        unavailable.push({ section: name, message: (err as Error).message });
        return null;
      }
    },
  };
}
