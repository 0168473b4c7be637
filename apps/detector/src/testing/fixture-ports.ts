import { createHash } from 'crypto';
import { RelabelError, defaultParameters, type Parameters } from '@relabel/contracts';
import type {
  DetectedLabel,
  HumanLoop,
  HumanLoopStart,
  HumanReview,
  ImageInput,
  ModelService,
  Notification,
  Notifier,
  ObjectInfo,
  ObjectStore,
  StoredObject,
} from '@relabel/ports';
import type { DetectionLocks, LockRelease } from '../domain/detection-locks';

/** In-memory fixture adapters for the detector's unit tests (the real adapters have their own tests). */
export class MemoryObjectStore implements ObjectStore {
  readonly bucket = 'test-bucket';
  readonly objects = new Map<string, StoredObject>();
  puts = 0;
  failPutsMatching: RegExp | null = null;

  async put(key: string, body: Buffer): Promise<{ eTag: string }> {
    if (this.failPutsMatching?.test(key)) throw new RelabelError('STORE_UNAVAILABLE', 'fixture store refuses this put');
    this.puts++;
    const eTag = createHash('md5').update(body).digest('hex');
    this.objects.set(key, { key, body: Buffer.from(body), size: body.length, eTag, lastModified: new Date() });
    return { eTag };
  }
  async get(key: string): Promise<StoredObject> {
    const obj = this.objects.get(key);
    if (!obj) throw new RelabelError('STORE_NOT_FOUND', `no object ${key}`);
    return obj;
  }
  async head(key: string): Promise<ObjectInfo | null> {
    const obj = this.objects.get(key);
    return obj ? { key: obj.key, size: obj.size, eTag: obj.eTag, lastModified: obj.lastModified } : null;
  }
  async list(prefix: string) {
    const items = [...this.objects.values()].filter((o) => o.key.startsWith(prefix)).sort((a, b) => a.key.localeCompare(b.key));
    return { items: items.map(({ body: _body, ...info }) => info) };
  }
  async copy(from: string, to: string) {
    return this.put(to, (await this.get(from)).body);
  }
  async delete(key: string) {
    this.objects.delete(key);
  }
  keys(prefix = ''): string[] {
    return [...this.objects.keys()].filter((k) => k.startsWith(prefix)).sort();
  }
}

/** Answers with the labels a test sets per version; counts calls; can be told to fail. */
export class FixtureModelService implements Pick<ModelService, 'detect'> {
  readonly calls: Array<{ version: string; bytes: number; maxResults?: number }> = [];
  labels: Record<string, DetectedLabel[]> = {};
  stopped = new Set<string>();
  error: Error | null = null;

  async detect(version: string, image: ImageInput, options?: { maxResults?: number }): Promise<DetectedLabel[]> {
    this.calls.push({ version, bytes: 'bytes' in image ? image.bytes.length : -1, maxResults: options?.maxResults });
    if (this.error) throw this.error;
    if (this.stopped.has(version)) throw new RelabelError('MODEL_NOT_READY', `${version} is not running`);
    return (this.labels[version] ?? []).slice(0, options?.maxResults);
  }
}

export class FixtureHumanReview implements HumanReview {
  readonly loops = new Map<string, HumanLoop>();
  starts = 0;

  async startHumanLoop(input: HumanLoopStart) {
    this.starts++;
    const existing = this.loops.get(input.name);
    if (existing) return { loop: existing, created: false };
    const loop: HumanLoop = { ...input, status: 'pending', createdAt: new Date().toISOString() };
    this.loops.set(input.name, loop);
    return { loop, created: true };
  }
  async describeHumanLoop(name: string) {
    return this.loops.get(name) ?? null;
  }
  async listHumanLoops() {
    return { items: [...this.loops.values()] };
  }
}

export class FixtureNotifier implements Notifier {
  readonly sent: Notification[] = [];
  error: Error | null = null;
  async notify(n: Notification) {
    if (this.error) throw this.error;
    this.sent.push(n);
  }
}

export class MemoryDetectionLocks implements DetectionLocks {
  readonly held = new Set<string>();
  async tryAcquire(key: string): Promise<LockRelease | null> {
    if (this.held.has(key)) return null;
    this.held.add(key);
    return async () => {
      this.held.delete(key);
    };
  }
}

export function fixedParameters(overrides: Partial<Parameters> = {}) {
  const params = { ...defaultParameters(), ...overrides };
  return { current: () => params, set: (p: Partial<Parameters>) => Object.assign(params, p) };
}
