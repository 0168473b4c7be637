import {
  CreateProjectVersionCommand,
  DescribeProjectVersionsCommand,
  DetectCustomLabelsCommand,
  StartProjectVersionCommand,
  StopProjectVersionCommand,
  type ProjectVersionDescription,
  type RekognitionClient,
} from '@aws-sdk/client-rekognition';
import { isErrorCode, RelabelError } from '@relabel/contracts';
import type { Logger, ModelService, ModelVersionInfo, ObjectStore } from '@relabel/ports';
import { failedCreateAnswer } from './rekognition-failed-create';
import { rekognitionError } from './rekognition-errors';
import { rekognitionImage } from './rekognition-image';
import { modelStatus, parseSummary, VERSION_NAME, versionInfo, versionNameOf, type ParsedSummary } from './rekognition-mapping';

export interface RekognitionModelServiceOptions {
  /** the Custom Labels project all versions belong to */
  projectArn: string;
  /** the bucket of the manifests, images and training output (the object store's bucket) */
  bucket: string;
  /** where Rekognition writes each version's training output: `<prefix><version>/` (default `evaluation/`) */
  outputPrefix?: string;
}

/**
 * The aws-profile ModelService over Amazon Rekognition Custom Labels, one project. Versions are
 * addressed by VersionName; the ARN is found by describing (and remembered: it never changes). The
 * evaluation is DescribeProjectVersions' F1 plus the training results summary file Rekognition
 * writes to the output location (read through the object store, cached per version).
 */
export function createRekognitionModelService(
  deps: { client: RekognitionClient; store: ObjectStore; logger: Logger },
  opts: RekognitionModelServiceOptions,
): ModelService {
  const { client, store, logger } = deps;
  const ProjectArn = opts.projectArn;
  const outputPrefix = opts.outputPrefix ?? 'evaluation/';
  const arns = new Map<string, string>();
  const summaries = new Map<string, ParsedSummary | null>();

  async function summaryOf(d: ProjectVersionDescription): Promise<ParsedSummary | null> {
    const arn = d.ProjectVersionArn ?? '';
    if (summaries.has(arn)) return summaries.get(arn)!;
    const at = d.EvaluationResult?.Summary?.S3Object;
    if (!at?.Name || at.Bucket !== opts.bucket) return null;
    let parsed: ParsedSummary | null = null;
    try {
      parsed = parseSummary(JSON.parse((await store.get(at.Name)).body.toString()), d.EvaluationResult?.F1Score);
      if (!parsed) logger.warn({ key: at.Name }, 'the training summary file lacks its metrics; evaluation left out');
    } catch (err) {
      // a transient store error is retried by the caller; a missing or broken file will not heal
      if (!isErrorCode(err, 'STORE_NOT_FOUND') && !(err instanceof SyntaxError)) throw err;
      logger.warn({ key: at.Name, err: (err as Error).message }, 'the training summary file is unreadable; evaluation left out');
    }
    summaries.set(arn, parsed);
    return parsed;
  }

  async function toInfo(d: ProjectVersionDescription): Promise<ModelVersionInfo | null> {
    const version = versionNameOf(d.ProjectVersionArn);
    const status = modelStatus(d.Status);
    if (!version || !status) return null;
    arns.set(version, d.ProjectVersionArn!);
    const info = versionInfo(d, version, status);
    if (d.EvaluationResult && status !== 'TRAINING_IN_PROGRESS' && status !== 'TRAINING_FAILED') {
      const summary = await summaryOf(d);
      if (summary) Object.assign(info, { evaluation: summary.evaluation, labels: summary.labels, testImages: summary.evaluation.testImages, trainImages: summary.trainImages });
    }
    return info;
  }

  async function describePages(VersionNames?: string[]): Promise<ProjectVersionDescription[]> {
    const out: ProjectVersionDescription[] = [];
    let NextToken: string | undefined;
    try {
      do {
        const page = await client.send(new DescribeProjectVersionsCommand({ ProjectArn, VersionNames, MaxResults: 100, NextToken }));
        out.push(...(page.ProjectVersionDescriptions ?? []));
        NextToken = page.NextToken;
      } while (NextToken);
    } catch (err) {
      throw rekognitionError(err, 'project', ProjectArn);
    }
    return out;
  }

  async function describeVersions(versions?: string[]): Promise<ModelVersionInfo[]> {
    let descriptions: ProjectVersionDescription[];
    if (versions === undefined) descriptions = await describePages();
    else {
      const names = [...new Set(versions.filter((v) => VERSION_NAME.test(v)))];
      const chunks: string[][] = [];
      // VersionNames takes at most 10 names per call
      for (let i = 0; i < names.length; i += 10) chunks.push(names.slice(i, i + 10));
      descriptions = (await Promise.all(chunks.map((c) => describePages(c)))).flat();
    }
    const infos = (await Promise.all(descriptions.map(toInfo))).filter((i): i is ModelVersionInfo => i !== null);
    return infos.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  async function describeOne(version: string): Promise<ModelVersionInfo> {
    const [info] = await describeVersions([version]);
    if (!info) throw new RelabelError('MODEL_NOT_FOUND', `no model version ${version}`, { version });
    return info;
  }

  async function arnOf(version: string): Promise<string> {
    if (!arns.has(version)) await describeOne(version);
    return arns.get(version)!;
  }

  const answerFailedCreate = failedCreateAnswer({ client, logger, projectArn: ProjectArn, describeVersions });

  return {
    async createVersion({ version, trainManifestKey, testManifestKey }) {
      if (!VERSION_NAME.test(version)) throw new RelabelError('REQUEST_INVALID', `${JSON.stringify(version).slice(0, 80)} is not a valid Rekognition version name`);
      const manifest = (key: string) => ({ Assets: [{ GroundTruthManifest: { S3Object: { Bucket: opts.bucket, Name: key } } }] });
      try {
        const out = await client.send(
          new CreateProjectVersionCommand({
            ProjectArn,
            VersionName: version,
            OutputConfig: { S3Bucket: opts.bucket, S3KeyPrefix: `${outputPrefix}${version}/` },
            TrainingData: manifest(trainManifestKey),
            TestingData: manifest(testManifestKey),
          }),
        );
        if (out.ProjectVersionArn) arns.set(version, out.ProjectVersionArn);
        logger.info({ version, arn: out.ProjectVersionArn }, 'Rekognition training started');
      } catch (err) {
        return answerFailedCreate(version, err);
      }
      const [info] = await describeVersions([version]);
      return info ?? { version, status: 'TRAINING_IN_PROGRESS', createdAt: new Date().toISOString() };
    },

    describeVersions,

    async startVersion(version, inferenceUnits) {
      if (!Number.isInteger(inferenceUnits) || inferenceUnits < 1) throw new RelabelError('REQUEST_INVALID', `inference units must be a positive integer, got ${inferenceUnits}`);
      const info = await describeOne(version);
      if (info.status === 'RUNNING' || info.status === 'STARTING') return;
      if (info.status === 'TRAINING_IN_PROGRESS' || info.status === 'TRAINING_FAILED' || info.status === 'STOPPING') {
        throw new RelabelError('MODEL_NOT_READY', `version ${version} is ${info.status} and cannot be started`, { version, status: info.status });
      }
      try {
        await client.send(new StartProjectVersionCommand({ ProjectVersionArn: arns.get(version)!, MinInferenceUnits: inferenceUnits }));
      } catch (err) {
        throw rekognitionError(err, 'version', version);
      }
    },

    async stopVersion(version) {
      const info = await describeOne(version);
      // only a deployed version has something to stop; anything else is already where stop leads
      if (info.status !== 'RUNNING' && info.status !== 'STARTING') return;
      try {
        await client.send(new StopProjectVersionCommand({ ProjectVersionArn: arns.get(version)! }));
      } catch (err) {
        throw rekognitionError(err, 'version', version);
      }
    },

    async detect(version, image, options = {}) {
      const ProjectVersionArn = await arnOf(version);
      const staged = await rekognitionImage(image, store);
      try {
        const out = await client.send(
          new DetectCustomLabelsCommand({ ProjectVersionArn, Image: staged.image, MinConfidence: options.minConfidence ?? 0, MaxResults: options.maxResults }),
        );
        const labels = (out.CustomLabels ?? [])
          .filter((l) => typeof l.Name === 'string' && typeof l.Confidence === 'number')
          .map((l) => ({ name: l.Name!, confidence: l.Confidence! }))
          .sort((a, b) => b.confidence - a.confidence);
        return options.maxResults !== undefined ? labels.slice(0, options.maxResults) : labels;
      } catch (err) {
        throw rekognitionError(err, 'detect', version);
      } finally {
        await staged.cleanup();
      }
    },
  };
}
