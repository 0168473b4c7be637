import { createHash } from 'crypto';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  NotFound,
  PutObjectCommand,
  S3Client,
  type GetObjectCommandOutput,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';

interface StoredS3Object {
  body: Buffer;
  eTag: string;
  lastModified: Date;
}

const $metadata = { httpStatusCode: 200 };
const quoted = (eTag: string) => `"${eTag}"`;
const byBytes = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));
const noSuchKey = () => new NoSuchKey({ message: 'The specified key does not exist.', $metadata: { httpStatusCode: 404 } });

/**
 * An in-memory S3 bucket behind aws-sdk-client-mock, answering with the documented shapes: quoted
 * ETags, `NoSuchKey` from GetObject/CopyObject, a bodiless 404 `NotFound` from HeadObject, 204 from
 * DeleteObject whether or not the key exists, ListObjectsV2 pages in UTF-8 byte order with an
 * opaque `NextContinuationToken` and `IsTruncated`, no `Contents` on an empty page.
 */
export function fakeS3(bucket: string) {
  const objects = new Map<string, StoredS3Object>();
  const client = new S3Client({ region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  const mock = mockClient(client);
  const put = (key: string, body: Buffer) => {
    const eTag = createHash('md5').update(body).digest('hex');
    objects.set(key, { body, eTag, lastModified: new Date() });
    return eTag;
  };
  const checkBucket = (name: string | undefined) => {
    if (name !== bucket) throw Object.assign(new Error('The specified bucket does not exist'), { name: 'NoSuchBucket', $metadata: { httpStatusCode: 404 } });
  };

  mock.on(PutObjectCommand).callsFake(async (input) => {
    checkBucket(input.Bucket);
    return { ETag: quoted(put(input.Key!, Buffer.from(input.Body as Buffer))), $metadata };
  });
  mock.on(GetObjectCommand).callsFake(async (input) => {
    checkBucket(input.Bucket);
    const o = objects.get(input.Key!);
    if (!o) throw noSuchKey();
    const body = Buffer.from(o.body);
    const Body = { transformToByteArray: async () => new Uint8Array(body) } as unknown as GetObjectCommandOutput['Body'];
    return { Body, ContentLength: body.length, ETag: quoted(o.eTag), LastModified: o.lastModified, $metadata };
  });
  mock.on(HeadObjectCommand).callsFake(async (input) => {
    checkBucket(input.Bucket);
    const o = objects.get(input.Key!);
    if (!o) throw new NotFound({ message: 'Not Found', $metadata: { httpStatusCode: 404 } });
    return { ContentLength: o.body.length, ETag: quoted(o.eTag), LastModified: o.lastModified, $metadata };
  });
  mock.on(ListObjectsV2Command).callsFake(async (input) => {
    checkBucket(input.Bucket);
    const after = input.ContinuationToken ? Buffer.from(input.ContinuationToken, 'base64url').toString() : undefined;
    const max = input.MaxKeys ?? 1000;
    const keys = [...objects.keys()]
      .filter((k) => k.startsWith(input.Prefix ?? '') && (after === undefined || byBytes(k, after) > 0))
      .sort(byBytes);
    const page = keys.slice(0, max);
    const truncated = keys.length > max;
    const Contents = page.map((Key) => ({ Key, Size: objects.get(Key)!.body.length, ETag: quoted(objects.get(Key)!.eTag), LastModified: objects.get(Key)!.lastModified }));
    return {
      Contents: Contents.length > 0 ? Contents : undefined,
      KeyCount: Contents.length,
      IsTruncated: truncated,
      NextContinuationToken: truncated ? Buffer.from(page[page.length - 1]!).toString('base64url') : undefined,
      $metadata,
    };
  });
  mock.on(CopyObjectCommand).callsFake(async (input) => {
    checkBucket(input.Bucket);
    const source = input.CopySource!;
    if (!source.startsWith(`${bucket}/`)) throw noSuchKey();
    const sourceKey = source.slice(bucket.length + 1).split('/').map(decodeURIComponent).join('/');
    const o = objects.get(sourceKey);
    if (!o) throw noSuchKey();
    return { CopyObjectResult: { ETag: quoted(put(input.Key!, o.body)), LastModified: new Date() }, $metadata };
  });
  mock.on(DeleteObjectCommand).callsFake(async (input) => {
    checkBucket(input.Bucket);
    objects.delete(input.Key!);
    return { $metadata: { httpStatusCode: 204 } };
  });

  return { client, mock, objects };
}
