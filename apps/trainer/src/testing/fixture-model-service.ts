import { createHash } from 'crypto';
import { RelabelError } from '@relabel/contracts';
import type { DetectedLabel, ImageInput, ModelEvaluation, ModelService, ModelStatus, ModelVersionInfo } from '@relabel/ports';

/**
 * A scripted ModelService for use-case tests: every version trains for `trainingPolls` describes,
 * starts for `startPolls` describes, and ends as the script says. Not a model: the real one is the
 * local model service, tested on its own and through the trainer in the e2e test.
 */
export interface FixtureScript {
  trainingPolls: number;
  startPolls: number;
  /** the evaluation a version ends with, or 'fail' for TRAINING_FAILED */
  outcome: (version: string) => ModelEvaluation | 'fail';
  startFails?: (version: string) => boolean;
  /** the live model's answer for an image key (champion evaluation) */
  predict?: (version: string, key: string) => string | null;
  /** createVersion refuses the dataset (a permanent error) */
  refuseDataset?: boolean;
}

interface Entry {
  info: ModelVersionInfo;
  polls: number;
}

export class FixtureModelService implements ModelService {
  readonly created: Array<{ version: string; trainManifestKey: string; testManifestKey: string }> = [];
  readonly started: Array<{ version: string; units: number }> = [];
  readonly stopped: string[] = [];
  private readonly entries = new Map<string, Entry>();

  constructor(public script: FixtureScript) {}

  async createVersion(input: { version: string; trainManifestKey: string; testManifestKey: string }): Promise<ModelVersionInfo> {
    if (this.script.refuseDataset) throw new RelabelError('TRAINING_DATASET_INVALID', 'the fixture refuses this dataset');
    if (this.entries.has(input.version)) throw new RelabelError('MODEL_NOT_READY', `version ${input.version} exists`);
    this.created.push(input);
    const info: ModelVersionInfo = { version: input.version, status: 'TRAINING_IN_PROGRESS', createdAt: new Date().toISOString() };
    this.entries.set(input.version, { info, polls: this.script.trainingPolls });
    return { ...info };
  }

  async describeVersions(versions?: string[]): Promise<ModelVersionInfo[]> {
    const names = versions ?? [...this.entries.keys()];
    const out: ModelVersionInfo[] = [];
    for (const name of names) {
      const entry = this.entries.get(name);
      if (!entry) continue;
      this.advance(entry);
      out.push({ ...entry.info });
    }
    return out;
  }

  async startVersion(version: string, inferenceUnits: number): Promise<void> {
    const entry = this.must(version);
    this.started.push({ version, units: inferenceUnits });
    this.set(entry, 'STARTING', this.script.startPolls);
    entry.info.inferenceUnits = inferenceUnits;
  }

  async stopVersion(version: string): Promise<void> {
    this.stopped.push(version);
    this.set(this.must(version), 'STOPPED', 0);
  }

  async detect(version: string, image: ImageInput, options?: { maxResults?: number }): Promise<DetectedLabel[]> {
    if (this.must(version).info.status !== 'RUNNING') throw new RelabelError('MODEL_NOT_READY', `${version} is not running`);
    const key = 'key' in image ? image.key : createHash('md5').update(image.bytes).digest('hex');
    const label = this.script.predict?.(version, key) ?? null;
    return label ? [{ name: label, confidence: 90 }].slice(0, options?.maxResults ?? 5) : [];
  }

  /** Puts a version straight into a state it keeps (e.g. a live version from before the test). */
  seed(version: string, status: ModelStatus, evaluation?: ModelEvaluation): void {
    this.entries.set(version, { info: { version, status, createdAt: new Date(0).toISOString(), ...(evaluation ? { evaluation } : {}) }, polls: Number.MAX_SAFE_INTEGER });
  }

  status(version: string): ModelStatus | undefined {
    return this.entries.get(version)?.info.status;
  }

  private advance(entry: Entry): void {
    if (entry.polls > 0) {
      entry.polls -= 1;
      return;
    }
    const { info } = entry;
    if (info.status === 'TRAINING_IN_PROGRESS') {
      const outcome = this.script.outcome(info.version);
      if (outcome === 'fail') this.set(entry, 'TRAINING_FAILED', 0, 'fixture training failure');
      else Object.assign(info, { status: 'TRAINING_COMPLETED', evaluation: outcome, trainingEndedAt: new Date().toISOString() });
    } else if (info.status === 'STARTING') {
      this.set(entry, this.script.startFails?.(info.version) ? 'FAILED' : 'RUNNING', 0, this.script.startFails?.(info.version) ? 'fixture start failure' : undefined);
    }
  }

  private set(entry: Entry, status: ModelStatus, polls: number, message?: string): void {
    entry.info.status = status;
    entry.polls = polls;
    if (message) entry.info.statusMessage = message;
    else delete entry.info.statusMessage;
  }

  private must(version: string): Entry {
    const entry = this.entries.get(version);
    if (!entry) throw new RelabelError('MODEL_NOT_FOUND', `no version ${version}`);
    return entry;
  }
}

export function evaluationWithF1(f1: number, labels: string[] = ['cat', 'dog']): ModelEvaluation {
  return { f1, precision: f1, recall: f1, testImages: 10, perLabel: labels.map((label) => ({ label, precision: f1, recall: f1, f1, support: 5 })) };
}
