import { createHash } from 'crypto';
import { RelabelError } from '@relabel/contracts';
import { INITIAL_OPERATIONAL_STATE, Notification, Notifier, ObjectInfo, ObjectStore, OperationalState, OperationalStateStore } from '@relabel/ports';
import type { TrainingLock } from '../infra/training-lock';

/** Small in-memory port fixtures for use-case tests (the real adapters have their own tests). */
export class MemoryObjectStore implements ObjectStore {
  readonly bucket = 'relabel';
  readonly objects = new Map<string, { body: Buffer; info: ObjectInfo }>();

  async put(key: string, body: Buffer): Promise<{ eTag: string }> {
    const eTag = createHash('md5').update(body).digest('hex');
    this.objects.set(key, { body: Buffer.from(body), info: { key, size: body.length, eTag, lastModified: new Date() } });
    return { eTag };
  }
  async get(key: string) {
    const o = this.objects.get(key);
    if (!o) throw new RelabelError('STORE_NOT_FOUND', key);
    return { ...o.info, body: Buffer.from(o.body) };
  }
  async head(key: string) {
    return this.objects.get(key)?.info ?? null;
  }
  async list(prefix: string, options: { cursor?: string; limit?: number } = {}) {
    const keys = [...this.objects.keys()].filter((k) => k.startsWith(prefix) && (!options.cursor || k > options.cursor)).sort();
    const page = keys.slice(0, options.limit ?? 1000);
    return { items: page.map((k) => this.objects.get(k)!.info), ...(keys.length > page.length ? { nextCursor: page[page.length - 1] } : {}) };
  }
  async copy(from: string, to: string) {
    return this.put(to, (await this.get(from)).body);
  }
  async delete(key: string) {
    this.objects.delete(key);
  }
  text(key: string): string {
    return this.objects.get(key)?.body.toString('utf8') ?? '';
  }
}

export class MemoryStateStore implements OperationalStateStore {
  values: OperationalState = structuredClone(INITIAL_OPERATIONAL_STATE);
  async get<K extends keyof OperationalState>(item: K) {
    return structuredClone(this.values[item]);
  }
  async getAll() {
    return structuredClone(this.values);
  }
  async set<K extends keyof OperationalState>(item: K, value: OperationalState[K]) {
    this.values = { ...this.values, [item]: structuredClone(value) };
  }
}

export class RecordingNotifier implements Notifier {
  readonly sent: Notification[] = [];
  async notify(n: Notification) {
    this.sent.push(n);
  }
  types(): string[] {
    return this.sent.map((n) => n.type);
  }
}

export class MemoryLock implements TrainingLock {
  owner: string | null = null;
  async acquire(owner: string) {
    if (this.owner === null || this.owner === owner) {
      this.owner = owner;
      return { acquired: true as const };
    }
    return { acquired: false as const, holder: this.owner };
  }
  async renew(owner: string) {
    return (await this.acquire(owner)).acquired;
  }
  async release(owner: string) {
    if (this.owner === owner) this.owner = null;
  }
  async holder() {
    return this.owner;
  }
}
