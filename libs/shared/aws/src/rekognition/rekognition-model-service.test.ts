import {
  CreateProjectVersionCommand,
  DescribeProjectsCommand,
  DescribeProjectVersionsCommand,
  DetectCustomLabelsCommand,
  StartProjectVersionCommand,
} from '@aws-sdk/client-rekognition';
import { silentLogger } from '@relabel/ports';
import { describeModelServiceConformance } from '@relabel/ports/testing';
import { fakeS3 } from '../s3/fake-s3.test-support';
import { createS3ObjectStore } from '../s3/s3-object-store';
import { fakeRekognition } from './fake-rekognition.test-support';
import { createRekognitionModelService } from './rekognition-model-service.adapter';

const BUCKET = 'relabel-bucket';
const PROJECT = 'arn:aws:rekognition:eu-west-1:123456789012:project/relabel/1700000000000';
const named = (name: string, status = 400) => Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });

function setup() {
  const s3 = fakeS3(BUCKET);
  const store = createS3ObjectStore({ client: s3.client }, { bucket: BUCKET });
  const rek = fakeRekognition({ store, projectArn: PROJECT });
  const service = createRekognitionModelService({ client: rek.client, store, logger: silentLogger }, { projectArn: PROJECT, bucket: BUCKET });
  return { s3, store, rek, service, cleanup: async () => void (rek.mock.restore(), s3.mock.restore()) };
}

// The suite trains and detects for real in the local profile; here Rekognition is a documented-shape
// state machine whose "model" is a hash scorer, so this checks the adapter's lifecycle and mapping.
describeModelServiceConformance('Rekognition Custom Labels (aws-sdk-client-mock state machine)', async () => setup(), { settleTimeoutMs: 5000 });

describe('Rekognition model service specifics', () => {
  let fx: ReturnType<typeof setup>;
  beforeEach(() => {
    fx = setup();
  });
  afterEach(() => fx.cleanup());

  it('creates a version from the Ground Truth manifests with its output under evaluation/<version>/', async () => {
    await fx.service.createVersion({ version: 'v1', trainManifestKey: 'manifests/v1/train.manifest', testManifestKey: 'manifests/v1/test.manifest' });
    expect(fx.rek.mock.commandCalls(CreateProjectVersionCommand)[0]!.args[0].input).toEqual({
      ProjectArn: PROJECT,
      VersionName: 'v1',
      OutputConfig: { S3Bucket: BUCKET, S3KeyPrefix: 'evaluation/v1/' },
      TrainingData: { Assets: [{ GroundTruthManifest: { S3Object: { Bucket: BUCKET, Name: 'manifests/v1/train.manifest' } } }] },
      TestingData: { Assets: [{ GroundTruthManifest: { S3Object: { Bucket: BUCKET, Name: 'manifests/v1/test.manifest' } } }] },
    });
  });

  it('answers a retried create with the version the first attempt made (a duplicate name is ResourceInUseException)', async () => {
    const input = { version: 'v2', trainManifestKey: 'manifests/v2/train.manifest', testManifestKey: 'manifests/v2/test.manifest' };
    await fx.service.createVersion(input);
    await expect(fx.service.createVersion(input)).resolves.toMatchObject({ version: 'v2' });
    expect(fx.rek.mock.commandCalls(CreateProjectVersionCommand)).toHaveLength(2);
    expect(fx.rek.versions.size).toBe(1);
  });

  it('fails a create whose lookup failed as the lookup did (retryable), not as the create did', async () => {
    fx.rek.mock.on(CreateProjectVersionCommand).rejects(named('ResourceInUseException'));
    fx.rek.mock.on(DescribeProjectVersionsCommand).rejects(named('ThrottlingException'));
    await expect(fx.service.createVersion({ version: 'v6', trainManifestKey: 'm/t', testManifestKey: 'm/s' })).rejects.toMatchObject({ code: 'MODEL_THROTTLED', retryable: true });
  });

  it('refuses to train from manifests in a project that has datasets with a project-state error, not a dataset error', async () => {
    fx.rek.project.datasets = ['TRAIN', 'TEST'];
    const failure = fx.service.createVersion({ version: 'v4', trainManifestKey: 'manifests/v4/train.manifest', testManifestKey: 'manifests/v4/test.manifest' });
    await expect(failure).rejects.toMatchObject({ code: 'MODEL_PROJECT_HAS_DATASETS', retryable: false, message: expect.stringContaining('has datasets (TRAIN, TEST)') });
    expect(fx.rek.mock.commandCalls(DescribeProjectsCommand)[0]!.args[0].input).toEqual({ ProjectNames: ['relabel'] });
    // the same refusal in a project without datasets is the data's fault
    fx.rek.project.datasets = [];
    fx.rek.mock.on(CreateProjectVersionCommand).rejects(named('InvalidParameterException'));
    await expect(fx.service.createVersion({ version: 'v5', trainManifestKey: 'm/t', testManifestKey: 'm/s' })).rejects.toMatchObject({ code: 'TRAINING_DATASET_INVALID' });
  });

  it.each([
    ['LimitExceededException', 'create', 'concurrent model trainings'],
    ['ServiceQuotaExceededException', 'create', 'concurrent model trainings'],
    ['LimitExceededException', 'start', 'running models / inference units'],
  ])('maps %s at %s to a non-retryable QUOTA_EXCEEDED naming the quota', async (name, op, quota) => {
    fx.rek.mock.on(CreateProjectVersionCommand).rejects(named(name));
    fx.rek.mock.on(DescribeProjectVersionsCommand).resolves({ ProjectVersionDescriptions: op === 'start' ? [{ ProjectVersionArn: 'arn:aws:rekognition:eu-west-1:1:project/relabel/version/q/1', Status: 'STOPPED' }] : [] });
    fx.rek.mock.on(StartProjectVersionCommand).rejects(named(name));
    const call = op === 'create' ? fx.service.createVersion({ version: 'q', trainManifestKey: 'm/t', testManifestKey: 'm/s' }) : fx.service.startVersion('q', 1);
    await expect(call).rejects.toMatchObject({ code: 'QUOTA_EXCEEDED', retryable: false, message: expect.stringContaining(quota) });
  });

  it('maps statuses, skips versions being deleted, pages and asks for at most 10 names per call', async () => {
    const d = (name: string, Status: string) => ({ ProjectVersionArn: `arn:aws:rekognition:eu-west-1:1:project/relabel/version/${name}/17000000${name.length}`, Status, CreationTimestamp: new Date(Date.parse('2026-01-01') + name.length) });
    fx.rek.mock.on(DescribeProjectVersionsCommand).callsFake(async (input) =>
      input.NextToken
        ? { ProjectVersionDescriptions: [d('copied', 'COPYING_COMPLETED'), d('retired-1', 'DEPRECATED')] }
        : { ProjectVersionDescriptions: [d('a', 'RUNNING'), d('gone', 'DELETING')], NextToken: 'p2' },
    );
    const all = await fx.service.describeVersions();
    expect(all.map((v) => [v.version, v.status])).toEqual([['a', 'RUNNING'], ['copied', 'TRAINING_COMPLETED'], ['retired-1', 'FAILED']]);
    fx.rek.mock.resetHistory();
    await fx.service.describeVersions(Array.from({ length: 12 }, (_, i) => `n${i}`).concat('not a name!'));
    const asked = fx.rek.mock.commandCalls(DescribeProjectVersionsCommand).map((c) => c.args[0].input.VersionNames);
    expect(asked.map((names) => names!.length).sort((a, b) => a - b)).toEqual([2, 2, 10, 10]);
  });

  it('reads the documented summary layout: F1 from the API, per-label metrics, threshold 0–100, confusion fractions', async () => {
    await fx.store.put(
      'evaluation/v9/EvaluationSummary-relabel-v9.json',
      Buffer.from(
        JSON.stringify({
          Version: 1,
          AggregatedEvaluationResults: {
            ConfusionMatrix: [
              { GroundTruthLabel: 'CAP', PredictedLabel: 'CAP', Value: 0.99 },
              { GroundTruthLabel: 'WATCH', PredictedLabel: 'CAP', Value: 0.18 },
            ],
            F1Score: 0.97,
            Precision: 0.971,
            Recall: 0.973,
          },
          EvaluationDetails: { Labels: ['WATCH', 'CAP'], NumberOfTestingImages: 624, NumberOfTrainingImages: 5216 },
          LabelEvaluationResults: [
            { Label: 'CAP', Metrics: { F1Score: 0.979, Precision: 0.981, Recall: 0.976, Threshold: 0.98 }, NumberOfTestingImages: 390 },
            { Label: 'WATCH', Metrics: { F1Score: 0.965, Precision: 0.961, Recall: 0.97, Threshold: 0.02 }, NumberOfTestingImages: 234 },
          ],
        }),
      ),
    );
    fx.rek.mock.on(DescribeProjectVersionsCommand).resolves({
      ProjectVersionDescriptions: [
        {
          ProjectVersionArn: 'arn:aws:rekognition:eu-west-1:1:project/relabel/version/v9/1700000000009',
          Status: 'RUNNING',
          MinInferenceUnits: 2,
          CreationTimestamp: new Date('2026-02-01T00:00:00Z'),
          TrainingEndTimestamp: new Date('2026-02-01T02:00:00Z'),
          EvaluationResult: { F1Score: 0.9726, Summary: { S3Object: { Bucket: BUCKET, Name: 'evaluation/v9/EvaluationSummary-relabel-v9.json' } } },
        },
      ],
    });
    const [info] = await fx.service.describeVersions(['v9']);
    expect(info).toMatchObject({ version: 'v9', status: 'RUNNING', inferenceUnits: 2, labels: ['CAP', 'WATCH'], trainImages: 5216, testImages: 624, trainingEndedAt: '2026-02-01T02:00:00.000Z' });
    expect(info!.evaluation).toEqual({
      f1: 0.9726,
      precision: 0.971,
      recall: 0.973,
      testImages: 624,
      threshold: 50,
      perLabel: [
        { label: 'CAP', precision: 0.981, recall: 0.976, f1: 0.979, support: 390 },
        { label: 'WATCH', precision: 0.961, recall: 0.97, f1: 0.965, support: 234 },
      ],
      confusion: { labels: ['CAP', 'WATCH'], matrix: [[0.99, 0], [0.18, 0]] },
    });
  });

  it('leaves the evaluation out (rather than inventing one) when the summary file is missing', async () => {
    fx.rek.mock.on(DescribeProjectVersionsCommand).resolves({
      ProjectVersionDescriptions: [
        { ProjectVersionArn: 'arn:aws:rekognition:eu-west-1:1:project/relabel/version/v8/1', Status: 'TRAINING_COMPLETED', EvaluationResult: { F1Score: 0.9, Summary: { S3Object: { Bucket: BUCKET, Name: 'evaluation/v8/none.json' } } } },
      ],
    });
    const [info] = await fx.service.describeVersions(['v8']);
    expect(info).toMatchObject({ version: 'v8', status: 'TRAINING_COMPLETED' });
    expect(info!.evaluation).toBeUndefined();
  });

  it('starts with MinInferenceUnits and refuses a version still training', async () => {
    await fx.service.createVersion({ version: 'v3', trainManifestKey: 'manifests/v3/train.manifest', testManifestKey: 'manifests/v3/test.manifest' });
    await expect(fx.service.startVersion('v3', 2)).rejects.toMatchObject({ code: 'MODEL_NOT_READY' });
    expect(fx.rek.mock.commandCalls(StartProjectVersionCommand)).toHaveLength(0);
    await expect(fx.service.startVersion('v3', 0)).rejects.toMatchObject({ code: 'REQUEST_INVALID' });
  });

  it('sends small images inline and larger ones through a staged S3 object, removed afterwards', async () => {
    fx.rek.mock.on(DescribeProjectVersionsCommand).resolves({ ProjectVersionDescriptions: [{ ProjectVersionArn: 'arn:aws:rekognition:eu-west-1:1:project/relabel/version/live/1', Status: 'RUNNING' }] });
    fx.rek.mock.on(DetectCustomLabelsCommand).resolves({ CustomLabels: [{ Name: 'b', Confidence: 10 }, { Name: 'a', Confidence: 90 }] });
    const small = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.alloc(100)]);
    expect(await fx.service.detect('live', { bytes: small }, { minConfidence: 5 })).toEqual([{ name: 'a', confidence: 90 }, { name: 'b', confidence: 10 }]);
    const big = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.alloc(5 * 1024 * 1024)]);
    await fx.service.detect('live', { bytes: big }, { maxResults: 1 });
    const [first, second] = fx.rek.mock.commandCalls(DetectCustomLabelsCommand).map((c) => c.args[0].input);
    expect(first).toMatchObject({ ProjectVersionArn: 'arn:aws:rekognition:eu-west-1:1:project/relabel/version/live/1', MinConfidence: 5, Image: { Bytes: small } });
    expect(second).toMatchObject({ MaxResults: 1, MinConfidence: 0, Image: { S3Object: { Bucket: BUCKET, Name: expect.stringMatching(/^detect-staging\/[0-9a-f-]+\.jpg$/) } } });
    expect((await fx.store.list('detect-staging/')).items).toEqual([]);
    await fx.service.detect('live', { key: 'images_for_detection/a.jpg' });
    expect(fx.rek.mock.commandCalls(DetectCustomLabelsCommand)[2]!.args[0].input.Image).toEqual({ S3Object: { Bucket: BUCKET, Name: 'images_for_detection/a.jpg' } });
  });

  it.each([
    ['ThrottlingException', 'MODEL_THROTTLED'],
    ['ProvisionedThroughputExceededException', 'MODEL_THROTTLED'],
    ['InternalServerError', 'MODEL_SERVICE_UNAVAILABLE'],
    ['ResourceNotReadyException', 'MODEL_NOT_READY'],
    ['ImageTooLargeException', 'IMAGE_TOO_LARGE'],
    ['InvalidImageFormatException', 'IMAGE_CORRUPT'],
  ])('maps a DetectCustomLabels %s to %s', async (name, code) => {
    fx.rek.mock.on(DescribeProjectVersionsCommand).resolves({ ProjectVersionDescriptions: [{ ProjectVersionArn: 'arn:aws:rekognition:eu-west-1:1:project/relabel/version/live/1', Status: 'RUNNING' }] });
    fx.rek.mock.on(DetectCustomLabelsCommand).rejects(named(name, name === 'InternalServerError' ? 500 : 400));
    await expect(fx.service.detect('live', { key: 'images_for_detection/a.jpg' })).rejects.toMatchObject({ code });
  });

  it('reports an unknown project as a configuration error naming the variable', async () => {
    const other = createRekognitionModelService({ client: fx.rek.client, store: fx.store, logger: silentLogger }, { projectArn: `${PROJECT}0`, bucket: BUCKET });
    await expect(other.describeVersions()).rejects.toMatchObject({ code: 'CONFIG_INVALID', message: expect.stringContaining('RELABEL_REKOGNITION_PROJECT_ARN') });
  });
});
