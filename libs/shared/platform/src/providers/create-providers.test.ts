import { mkdtempSync, rmSync } from 'fs';
import os from 'os';
import path from 'path';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { RekognitionClient } from '@aws-sdk/client-rekognition';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { SSMClient } from '@aws-sdk/client-ssm';
import { silentLogger } from '@relabel/ports';
import { mockClient } from 'aws-sdk-client-mock';
import { loadConfig } from '../config/load-config';
import { createProviders } from './create-providers';

const mocks = { s3: mockClient(S3Client), sns: mockClient(SNSClient), ssm: mockClient(SSMClient), rekognition: mockClient(RekognitionClient) };
const notFound = () => Object.assign(new Error('NoSuchKey'), { name: 'NoSuchKey', $metadata: { httpStatusCode: 404 } });

describe('createProviders with mixed switches', () => {
  let dataDir: string;
  beforeEach(() => {
    for (const m of Object.values(mocks)) m.reset();
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'relabel-mixed-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));
  afterAll(() => {
    for (const m of Object.values(mocks)) m.restore();
  });

  it('serves the local model, local review and object-store state over S3, SNS for notifications', async () => {
    mocks.s3.on(ListObjectsV2Command).resolves({ Contents: [], IsTruncated: false });
    mocks.s3.on(GetObjectCommand).rejects(notFound());
    mocks.s3.on(PutObjectCommand).resolves({ ETag: '"0cc175b9c0f1b6a831c399e269772661"' });
    mocks.sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    const config = loadConfig({
      RELABEL_DATA_DIR: dataDir,
      RELABEL_OBJECT_STORE: 's3',
      RELABEL_EVENTS: 'sqs',
      RELABEL_NOTIFIER: 'sns',
      RELABEL_OPERATIONAL_STATE: 'object-store',
      AWS_REGION: 'eu-west-1',
      RELABEL_S3_BUCKET: 'shared-bucket',
      RELABEL_OPERATOR_TOPIC_ARN: 'arn:aws:sns:eu-west-1:123456789012:ops',
    });
    const providers = createProviders(config, { logger: silentLogger });
    try {
      expect(providers.objectStore.bucket).toBe('shared-bucket');
      // the local model service keeps its versions under models/ in the S3 bucket
      expect(await providers.modelService.describeVersions()).toEqual([]);
      expect(mocks.s3.commandCalls(ListObjectsV2Command).map((c) => c.args[0].input)).toContainEqual(expect.objectContaining({ Bucket: 'shared-bucket', Prefix: 'models/' }));
      expect(mocks.rekognition.calls()).toHaveLength(0);
      // the local review page exists (A2I would have none)
      expect(providers.reviewWorkbench).not.toBeNull();
      expect(await providers.operationalState.get('activeModelVersion')).toBeNull();
      await providers.operationalState.set('activeModelVersion', 'v2');
      expect(mocks.s3.commandCalls(PutObjectCommand)[0]!.args[0].input).toMatchObject({ Bucket: 'shared-bucket', Key: 'state/operational/activeModelVersion.json' });
      expect(mocks.ssm.calls()).toHaveLength(0);
      await providers.notifier.notify({ channel: 'operator', type: 'training.deployed', subject: 'v2', data: {} });
      expect(mocks.sns.commandCalls(PublishCommand)).toHaveLength(1);
      // file parameters (seeded with the defaults in the data directory): no SSM
      expect((await providers.parameterStore.getAll()).map((p) => p.name)).toContain('Minimum-F1-Score');
      expect(mocks.ssm.calls()).toHaveLength(0);
    } finally {
      await providers.close();
    }
  });

  it('builds no AWS client and needs no AWS setting on the local preset', async () => {
    const providers = createProviders(loadConfig({ RELABEL_DATA_DIR: dataDir }), { logger: silentLogger });
    expect(providers.objectStore.bucket).toBe('relabel-local');
    expect(await providers.operationalState.get('versionsInFlight')).toEqual([]);
    await providers.close();
    expect(mocks.s3.calls()).toHaveLength(0);
  });

  it('names the region when only one switch leaves the machine', () => {
    expect(() => createProviders(loadConfig({ RELABEL_DATA_DIR: dataDir, RELABEL_NOTIFIER: 'sns' }), { logger: silentLogger })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID', message: expect.stringMatching(/AWS_REGION .*RELABEL_NOTIFIER=sns/) }),
    );
  });
});
