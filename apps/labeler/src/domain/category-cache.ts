/**
 * Memoises an expensive read (the category list walks the training-set folders) for `ttlMs`, so a
 * busy reviewer does not list the bucket on every answer; writers call `invalidate()`.
 */
export function cached<T>(load: () => Promise<T>, ttlMs: number): { get(): Promise<T>; invalidate(): void } {
  let value: { at: number; promise: Promise<T> } | null = null;
  return {
    get() {
      if (!value || Date.now() - value.at > ttlMs) {
        const promise = load();
        value = { at: Date.now(), promise };
        promise.catch(() => {
          if (value?.promise === promise) value = null;
        });
      }
      return value.promise;
    },
    invalidate() {
      value = null;
    },
  };
}
