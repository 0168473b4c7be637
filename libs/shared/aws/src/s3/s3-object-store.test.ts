import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3ServiceException } from '@aws-sdk/client-s3';
import { describeObjectStoreConformance } from '@relabel/ports/testing';
import { fakeS3 } from './fake-s3.test-support';
import { copySource, createS3ObjectStore } from './s3-object-store';
import { bareETag } from './s3-errors';

describeObjectStoreConformance('S3 (aws-sdk-client-mock)', async () => {
  const s3 = fakeS3('relabel-bucket');
  return { store: createS3ObjectStore({ client: s3.client }, { bucket: 'relabel-bucket' }), cleanup: async () => void s3.mock.restore() };
});

const sdkError = (name: string, status: number) => new S3ServiceException({ name, $fault: status >= 500 ? 'server' : 'client', $metadata: { httpStatusCode: status }, message: name });

describe('S3 object store specifics', () => {
  it('strips ETag quotes (and a weak marker) and URL-encodes CopySource per segment', () => {
    expect(bareETag('"abc"')).toBe('abc');
    expect(bareETag('W/"abc"')).toBe('abc');
    expect(bareETag(undefined)).toBe('');
    expect(copySource('b', 'images/a cat+1 é.jpg')).toBe('b/images/a%20cat%2B1%20%C3%A9.jpg');
  });

  it('passes the cursor as the ContinuationToken and the limit as MaxKeys', async () => {
    const s3 = fakeS3('bkt');
    const store = createS3ObjectStore({ client: s3.client }, { bucket: 'bkt' });
    for (const k of ['p/1', 'p/2', 'p/3']) await store.put(k, Buffer.from(k));
    const first = await store.list('p/', { limit: 2 });
    await store.list('p/', { limit: 2, cursor: first.nextCursor });
    const calls = s3.mock.commandCalls(ListObjectsV2Command).map((c) => c.args[0].input);
    expect(calls).toEqual([
      { Bucket: 'bkt', Prefix: 'p/', MaxKeys: 2, ContinuationToken: undefined },
      { Bucket: 'bkt', Prefix: 'p/', MaxKeys: 2, ContinuationToken: first.nextCursor },
    ]);
    s3.mock.restore();
  });

  it.each([
    ['SlowDown', 503],
    ['ThrottlingException', 400],
    ['InternalError', 500],
    ['AccessDenied', 403],
  ])('maps %s (%i) to STORE_UNAVAILABLE (retryable)', async (name, status) => {
    const s3 = fakeS3('bkt');
    s3.mock.on(GetObjectCommand).rejects(sdkError(name, status));
    s3.mock.on(PutObjectCommand).rejects(sdkError(name, status));
    const store = createS3ObjectStore({ client: s3.client }, { bucket: 'bkt' });
    await expect(store.get('a.jpg')).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE', retryable: true });
    await expect(store.put('a.jpg', Buffer.from('x'))).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    s3.mock.restore();
  });

  it('maps a network failure (no HTTP status) to STORE_UNAVAILABLE', async () => {
    const s3 = fakeS3('bkt');
    s3.mock.on(GetObjectCommand).rejects(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4566'), { code: 'ECONNREFUSED' }));
    const store = createS3ObjectStore({ client: s3.client }, { bucket: 'bkt' });
    await expect(store.get('a.jpg')).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    s3.mock.restore();
  });
});
