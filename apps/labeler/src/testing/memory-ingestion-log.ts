import type { IngestionLog, IngestionRecord } from '../domain/ingestion-record';

/** In-memory IngestionLog for unit tests. */
export function memoryIngestionLog(): IngestionLog & { entries: IngestionRecord[] } {
  const entries: IngestionRecord[] = [];
  return {
    entries,
    async record(entry) {
      entries.push(entry);
    },
    async forLoop(loop) {
      return [...entries].reverse().find((e) => e.loopName === loop) ?? null;
    },
    async recentRejections(limit) {
      return entries.filter((e) => e.outcome === 'rejected').reverse().slice(0, limit);
    },
  };
}
