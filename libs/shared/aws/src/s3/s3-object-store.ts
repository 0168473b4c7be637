import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { assertValidObjectKey, RelabelError } from '@relabel/contracts';
import type { ObjectInfo, ObjectStore } from '@relabel/ports';
import { bareETag, isS3NotFound, s3Error } from './s3-errors';

export interface S3ObjectStoreOptions {
  bucket: string;
}

const DEFAULT_LIMIT = 1000;

/** CopySource is `bucket/key`, URL-encoded per segment (the SDK does not encode it for us). */
export function copySource(bucket: string, key: string): string {
  return `${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`;
}

/**
 * The aws-profile ObjectStore over one S3 bucket. The client is built by the platform (region,
 * credentials, and `AWS_ENDPOINT_URL`, which the SDK reads itself); this adapter never reads env.
 * Keys follow the same rules as the local store so a key means the same thing in both profiles.
 */
export function createS3ObjectStore(deps: { client: S3Client }, opts: S3ObjectStoreOptions): ObjectStore {
  const { client } = deps;
  const Bucket = opts.bucket;

  async function call<T>(key: string, op: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      throw s3Error(err, key, op);
    }
  }

  return {
    bucket: Bucket,

    async put(key, body, options) {
      assertValidObjectKey(key);
      const out = await call(key, 'put', () => client.send(new PutObjectCommand({ Bucket, Key: key, Body: body, ContentType: options?.contentType })));
      return { eTag: bareETag(out.ETag) };
    },

    async get(key) {
      assertValidObjectKey(key);
      return call(key, 'get', async () => {
        const out = await client.send(new GetObjectCommand({ Bucket, Key: key }));
        if (!out.Body) throw new RelabelError('STORE_UNAVAILABLE', `S3 get returned no body for ${key}`, { key });
        const body = Buffer.from(await out.Body.transformToByteArray());
        return { key, body, size: body.length, eTag: bareETag(out.ETag), lastModified: out.LastModified ?? new Date(0) };
      });
    },

    async head(key) {
      assertValidObjectKey(key);
      try {
        const out = await client.send(new HeadObjectCommand({ Bucket, Key: key }));
        return { key, size: out.ContentLength ?? 0, eTag: bareETag(out.ETag), lastModified: out.LastModified ?? new Date(0) };
      } catch (err) {
        if (isS3NotFound(err)) return null;
        throw s3Error(err, key, 'head');
      }
    },

    async list(prefix, options = {}) {
      const limit = options.limit ?? DEFAULT_LIMIT;
      if (!Number.isInteger(limit) || limit < 1) throw new RelabelError('REQUEST_INVALID', `List limit must be a positive integer, got ${limit}`);
      const out = await call(prefix, 'list', () =>
        client.send(new ListObjectsV2Command({ Bucket, Prefix: prefix || undefined, MaxKeys: Math.min(limit, 1000), ContinuationToken: options.cursor })),
      );
      const items: ObjectInfo[] = (out.Contents ?? []).map((o) => ({
        key: o.Key ?? '',
        size: o.Size ?? 0,
        eTag: bareETag(o.ETag),
        lastModified: o.LastModified ?? new Date(0),
      }));
      return out.IsTruncated && out.NextContinuationToken ? { items, nextCursor: out.NextContinuationToken } : { items };
    },

    async copy(sourceKey, destinationKey) {
      assertValidObjectKey(sourceKey);
      assertValidObjectKey(destinationKey);
      const out = await call(sourceKey, 'copy', () =>
        client.send(new CopyObjectCommand({ Bucket, Key: destinationKey, CopySource: copySource(Bucket, sourceKey) })),
      );
      return { eTag: bareETag(out.CopyObjectResult?.ETag) };
    },

    async delete(key) {
      assertValidObjectKey(key);
      await call(key, 'delete', () => client.send(new DeleteObjectCommand({ Bucket, Key: key })));
    },
  };
}
