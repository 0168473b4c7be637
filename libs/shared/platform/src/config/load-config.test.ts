import { loadConfig } from './load-config';

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig({});
    expect(config.profile).toBe('local');
    expect(config.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(config.ports).toEqual({ detector: 8080, trainer: 8081, labeler: 8082, configWatcher: 8083 });
    expect(config.detector.maxImageBytes).toBe(15 * 1024 * 1024);
    expect(config.bucketDir.endsWith('/data/bucket')).toBe(true);
    expect(config.parameterPath).toBe('/relabel/');
    expect(config.serviceUrls).toEqual({ detector: 'http://127.0.0.1:8080', trainer: 'http://127.0.0.1:8081', labeler: 'http://127.0.0.1:8082' });
  });

  it('reaches the other services at their ports, or at the URLs given', () => {
    expect(loadConfig({ RELABEL_TRAINER_PORT: '9191' }).serviceUrls.trainer).toBe('http://127.0.0.1:9191');
    expect(loadConfig({ RELABEL_TRAINER_URL: 'http://trainer:8081/' }).serviceUrls.trainer).toBe('http://trainer:8081');
    expect(() => loadConfig({ RELABEL_LABELER_URL: 'ftp://x' })).toThrow(/serviceUrls\/labeler/);
  });

  it('reads overrides from the environment', () => {
    const config = loadConfig({ RELABEL_DETECTOR_PORT: '9090', RELABEL_DATA_DIR: '/tmp/x', RELABEL_ADMIN_TOKEN: 'abcdefgh12' });
    expect(config.ports.detector).toBe(9090);
    expect(config.bucketDir).toBe('/tmp/x/bucket');
    expect(config.tokens.admin).toBe('abcdefgh12');
  });

  it('fails naming every invalid key', () => {
    expect(() => loadConfig({ RELABEL_PROFILE: 'gcp', RELABEL_TRAINER_PORT: 'eighty' })).toThrow(/\/profile.*\/ports\/trainer|\/ports\/trainer.*\/profile/s);
  });

  it('caps new review loops per hour only when asked, with a whole number of at least 1', () => {
    expect(loadConfig({}).review.maxLoopsPerHour).toBeUndefined();
    expect(loadConfig({ RELABEL_REVIEW_MAX_LOOPS_PER_HOUR: '' }).review.maxLoopsPerHour).toBeUndefined();
    expect(loadConfig({ RELABEL_REVIEW_MAX_LOOPS_PER_HOUR: '50' }).review.maxLoopsPerHour).toBe(50);
    for (const bad of ['0', '2.5', 'many']) {
      expect(() => loadConfig({ RELABEL_REVIEW_MAX_LOOPS_PER_HOUR: bad })).toThrow(/review\/maxLoopsPerHour/);
    }
  });

  it('refuses a short token', () => {
    expect(() => loadConfig({ RELABEL_ADMIN_TOKEN: 'short' })).toThrow(/tokens\/admin/);
  });
});

describe('adapter switches', () => {
  it('takes every switch from the profile preset unless set', () => {
    expect(loadConfig({}).adapters).toEqual({
      objectStore: 'fs', events: 'fs', modelService: 'local', humanReview: 'local', parameterStore: 'file', operationalState: 'file', notifier: 'local',
    });
    expect(loadConfig({ RELABEL_PROFILE: 'aws' }).adapters).toEqual({
      objectStore: 's3', events: 'sqs', modelService: 'rekognition', humanReview: 'a2i', parameterStore: 'ssm', operationalState: 'ssm', notifier: 'sns',
    });
    const mixed = loadConfig({ RELABEL_PROFILE: 'aws', RELABEL_MODEL_SERVICE: 'local', RELABEL_HUMAN_REVIEW: 'local', RELABEL_PARAMETER_STORE: 'file', RELABEL_OPERATIONAL_STATE: 'object-store' });
    expect(mixed.adapters).toMatchObject({ objectStore: 's3', events: 'sqs', modelService: 'local', humanReview: 'local', parameterStore: 'file', operationalState: 'object-store', notifier: 'sns' });
  });

  it('refuses an unknown value', () => {
    expect(() => loadConfig({ RELABEL_OBJECT_STORE: 'gcs' })).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID', message: expect.stringContaining('/adapters/objectStore') }));
  });

  it.each([
    [{ RELABEL_EVENTS: 'sqs' }, ['RELABEL_EVENTS=sqs with RELABEL_OBJECT_STORE=fs']],
    [{ RELABEL_OBJECT_STORE: 's3' }, ['RELABEL_EVENTS=fs with RELABEL_OBJECT_STORE=s3']],
    [{ RELABEL_PROFILE: 'aws', RELABEL_OBJECT_STORE: 'fs', RELABEL_EVENTS: 'fs' }, ['RELABEL_MODEL_SERVICE=rekognition with RELABEL_OBJECT_STORE=fs', 'RELABEL_HUMAN_REVIEW=a2i with RELABEL_OBJECT_STORE=fs']],
    [{ RELABEL_HUMAN_REVIEW: 'a2i' }, ['RELABEL_HUMAN_REVIEW=a2i with RELABEL_OBJECT_STORE=fs: A2I']],
  ])('refuses the impossible combination %j, naming the variables', (env, named) => {
    let error: unknown;
    try {
      loadConfig(env);
    } catch (err) {
      error = err;
    }
    expect(error).toMatchObject({ code: 'CONFIG_INVALID', message: expect.stringContaining('impossible adapter combination') });
    for (const text of named) expect((error as Error).message).toContain(text);
  });

  it('accepts the local model and local review over S3 and SQS', () => {
    const config = loadConfig({ RELABEL_OBJECT_STORE: 's3', RELABEL_EVENTS: 'sqs', RELABEL_NOTIFIER: 'sns', RELABEL_OPERATIONAL_STATE: 'object-store' });
    expect(config.adapters).toMatchObject({ objectStore: 's3', events: 'sqs', modelService: 'local', humanReview: 'local', parameterStore: 'file' });
  });
});
