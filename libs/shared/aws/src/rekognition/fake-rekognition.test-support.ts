import { createHash } from 'crypto';
import {
  CreateProjectVersionCommand,
  DescribeProjectsCommand,
  DescribeProjectVersionsCommand,
  DetectCustomLabelsCommand,
  RekognitionClient,
  StartProjectVersionCommand,
  StopProjectVersionCommand,
  type ProjectVersionDescription,
} from '@aws-sdk/client-rekognition';
import { parseGroundTruthClassificationLine } from '@relabel/contracts';
import type { ObjectStore } from '@relabel/ports';
import { mockClient } from 'aws-sdk-client-mock';

const sdkError = (name: string, message: string, status = 400) => Object.assign(new Error(message), { name, $fault: 'client', $metadata: { httpStatusCode: status } });
const later = (ms: number, run: () => unknown) => setTimeout(() => void run(), ms).unref();

/** A stand-in classifier: a stable confidence per (image, label) from a hash. No learning is claimed. */
export function fakeConfidence(image: Buffer, label: string): number {
  return (createHash('sha256').update(image).update(label).digest().readUInt32BE(0) / 2 ** 32) * 100;
}

/** Complete JPEG/PNG files only: what the service would refuse as InvalidImageFormatException. */
function decodable(b: Buffer): boolean {
  if (b[0] === 0xff && b[1] === 0xd8) return b.length > 4 && b[b.length - 2] === 0xff && b[b.length - 1] === 0xd9;
  return b[0] === 0x89 && b.includes(Buffer.from('IEND'));
}

interface FakeVersion {
  d: ProjectVersionDescription;
  labels: string[];
}

/**
 * Rekognition Custom Labels behind aws-sdk-client-mock, in the documented shapes and state machine:
 * CreateProjectVersion reads the Ground Truth manifests (missing → TRAINING_FAILED, fewer than two
 * labels → TRAINING_FAILED), then TRAINING_COMPLETED with EvaluationResult.F1Score and a summary file
 * written to the OutputConfig location; Start → STARTING → RUNNING; Stop → STOPPING → STOPPED;
 * DetectCustomLabels only on RUNNING versions (ResourceNotReadyException otherwise), refusing
 * undecodable images. Unknown project → ResourceNotFoundException. As documented, CreateProjectVersion
 * has no "already exists" error: a duplicate VersionName is ResourceInUseException; and a project with
 * datasets (`project.datasets`, as DescribeProjects lists them) refuses TrainingData/TestingData.
 */
export function fakeRekognition(opts: { store: ObjectStore; projectArn: string; delayMs?: number }) {
  const delay = opts.delayMs ?? 20;
  const client = new RekognitionClient({ region: 'eu-west-1' });
  const mock = mockClient(client);
  const versions = new Map<string, FakeVersion>();
  const byArn = new Map<string, FakeVersion>();
  let clock = Date.parse('2026-03-01T00:00:00Z');
  const projectBase = opts.projectArn.replace(/\/\d+$/, '');
  const key = (uri: { Bucket?: string; Name?: string } | undefined) => uri?.Name ?? '';
  const project = { datasets: [] as Array<'TRAIN' | 'TEST'> };

  const checkProject = (arn: string | undefined) => {
    if (arn !== opts.projectArn) throw sdkError('ResourceNotFoundException', 'project not found');
  };
  const find = (arn: string | undefined) => {
    const v = byArn.get(arn ?? '');
    if (!v) throw sdkError('ResourceNotFoundException', 'version not found');
    return v;
  };

  async function train(v: FakeVersion, trainKey: string, testKey: string, out: { S3Bucket?: string; S3KeyPrefix?: string }) {
    const fail = (message: string) => Object.assign(v.d, { Status: 'TRAINING_FAILED', StatusMessage: message });
    let lines: Array<{ image: string; label: string }>[];
    try {
      lines = await Promise.all([trainKey, testKey].map(async (k) => (await opts.store.get(k)).body.toString().trim().split('\n').map(parseLine)));
    } catch {
      return fail(`The manifest file s3://${opts.store.bucket}/${trainKey} could not be read.`);
    }
    const labels = [...new Set(lines.flat().map((l) => l.label))].sort();
    if (labels.length < 2) return fail('The training dataset must contain at least 2 labels.');
    const test = lines[1]!;
    const predicted = await Promise.all(test.map(async (t) => {
      const body = (await opts.store.get(t.image)).body;
      return labels.reduce((best, l) => (fakeConfidence(body, l) > fakeConfidence(body, best) ? l : best), labels[0]!);
    }));
    const perLabel = labels.map((label) => {
      const tp = test.filter((t, i) => t.label === label && predicted[i] === label).length;
      const p = predicted.filter((x) => x === label).length;
      const support = test.filter((t) => t.label === label).length;
      const precision = p ? tp / p : 0;
      const recall = support ? tp / support : 0;
      return { Label: label, NumberOfTestingImages: support, Metrics: { Precision: precision, Recall: recall, F1Score: precision + recall ? (2 * precision * recall) / (precision + recall) : 0, Threshold: 0.5 } };
    });
    const mean = (f: (m: (typeof perLabel)[number]['Metrics']) => number) => perLabel.reduce((a, l) => a + f(l.Metrics), 0) / perLabel.length;
    const summaryKey = `${out.S3KeyPrefix ?? ''}EvaluationSummary-relabel-${versionName(v)}.json`;
    const summary = {
      Version: 1,
      AggregatedEvaluationResults: { Metrics: { F1Score: mean((m) => m.F1Score), Precision: mean((m) => m.Precision), Recall: mean((m) => m.Recall) } },
      EvaluationDetails: { ProjectVersionArn: v.d.ProjectVersionArn, Labels: labels, NumberOfTrainingImages: lines[0]!.length, NumberOfTestingImages: test.length },
      LabelEvaluationResults: perLabel,
    };
    await opts.store.put(summaryKey, Buffer.from(JSON.stringify(summary)));
    v.labels = labels;
    Object.assign(v.d, {
      Status: 'TRAINING_COMPLETED',
      StatusMessage: 'The model is ready to run.',
      TrainingEndTimestamp: new Date((clock += 1000)),
      EvaluationResult: { F1Score: summary.AggregatedEvaluationResults.Metrics.F1Score, Summary: { S3Object: { Bucket: out.S3Bucket, Name: summaryKey } } },
    });
  }

  mock.on(CreateProjectVersionCommand).callsFake(async (input) => {
    checkProject(input.ProjectArn);
    if (versions.has(input.VersionName!)) throw sdkError('ResourceInUseException', 'The specified resource is already being used.');
    if (project.datasets.length > 0 && (input.TrainingData || input.TestingData)) {
      throw sdkError('InvalidParameterException', 'TrainingData and TestingData cannot be specified for a project that has datasets.');
    }
    const arn = `${projectBase}/version/${input.VersionName}/${(clock += 1000)}`;
    const v: FakeVersion = { d: { ProjectVersionArn: arn, CreationTimestamp: new Date(clock), Status: 'TRAINING_IN_PROGRESS', OutputConfig: input.OutputConfig }, labels: [] };
    versions.set(input.VersionName!, v);
    byArn.set(arn, v);
    const asset = (d: typeof input.TrainingData) => key(d?.Assets?.[0]?.GroundTruthManifest?.S3Object);
    later(delay, () => train(v, asset(input.TrainingData), asset(input.TestingData), input.OutputConfig ?? {}));
    return { ProjectVersionArn: arn };
  });
  mock.on(DescribeProjectsCommand).callsFake(async (input) => {
    const name = /:project\/([^/]+)\//.exec(opts.projectArn)![1]!;
    if (input.ProjectNames && !input.ProjectNames.includes(name)) return { ProjectDescriptions: [] };
    const Datasets = project.datasets.map((DatasetType) => ({ DatasetType, DatasetArn: `${opts.projectArn}/dataset/${DatasetType.toLowerCase()}/1`, Status: 'CREATE_COMPLETE' as const }));
    return { ProjectDescriptions: [{ ProjectArn: opts.projectArn, Status: 'CREATED', Datasets }] };
  });
  mock.on(DescribeProjectVersionsCommand).callsFake(async (input) => {
    checkProject(input.ProjectArn);
    const all = [...versions.entries()].filter(([n]) => !input.VersionNames || input.VersionNames.includes(n)).map(([, v]) => structuredClone(v.d));
    const start = Number(input.NextToken ?? 0);
    const size = input.MaxResults ?? 100;
    return { ProjectVersionDescriptions: all.slice(start, start + size), NextToken: start + size < all.length ? String(start + size) : undefined };
  });
  mock.on(StartProjectVersionCommand).callsFake(async (input) => {
    const v = find(input.ProjectVersionArn);
    if (!['TRAINING_COMPLETED', 'STOPPED', 'FAILED'].includes(v.d.Status!)) throw sdkError('ResourceInUseException', `version is ${v.d.Status}`);
    Object.assign(v.d, { Status: 'STARTING', MinInferenceUnits: input.MinInferenceUnits });
    later(delay, () => void Object.assign(v.d, { Status: 'RUNNING' }));
    return { Status: 'STARTING' };
  });
  mock.on(StopProjectVersionCommand).callsFake(async (input) => {
    const v = find(input.ProjectVersionArn);
    if (v.d.Status !== 'RUNNING') throw sdkError('ResourceInUseException', `version is ${v.d.Status}`);
    v.d.Status = 'STOPPING';
    later(delay, () => void (v.d.Status = 'STOPPED'));
    return { Status: 'STOPPING' };
  });
  mock.on(DetectCustomLabelsCommand).callsFake(async (input) => {
    const v = find(input.ProjectVersionArn);
    if (v.d.Status !== 'RUNNING') throw sdkError('ResourceNotReadyException', 'the model is not running');
    let body: Buffer;
    if (input.Image?.Bytes) body = Buffer.from(input.Image.Bytes);
    else {
      try {
        body = (await opts.store.get(key(input.Image?.S3Object))).body;
      } catch {
        throw sdkError('InvalidS3ObjectException', 'unable to get object metadata from S3');
      }
    }
    if (!decodable(body)) throw sdkError('InvalidImageFormatException', 'request has invalid image format');
    const labels = v.labels
      .map((l) => ({ Name: l, Confidence: fakeConfidence(body, l) }))
      .filter((l) => l.Confidence >= (input.MinConfidence ?? 50))
      .sort((a, b) => b.Confidence - a.Confidence);
    // documented: the MaxResults highest-confidence labels, highest first
    return { CustomLabels: labels.slice(0, input.MaxResults ?? labels.length) };
  });

  return { client, mock, versions, project };
}

function versionName(v: FakeVersion): string {
  return /\/version\/([^/]+)\//.exec(v.d.ProjectVersionArn!)![1]!;
}

function parseLine(line: string): { image: string; label: string } {
  const entry = parseGroundTruthClassificationLine(line);
  return { image: entry.key, label: entry.label };
}
