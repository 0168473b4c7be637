import { randomBytes } from 'crypto';
import { describeObjectStoreConformance } from '@relabel/ports/testing';
import { startWireAws, type WireAws } from '../testing/wire-aws';
import { createS3ObjectStore } from './s3-object-store';

// The S3 store through the real SDK client, over HTTP to fauxqs (path-style, as with AWS_ENDPOINT_URL).
let wire: WireAws;
beforeAll(async () => {
  wire = await startWireAws();
});
afterAll(() => wire.stop());

describeObjectStoreConformance('S3 (fauxqs on the wire)', async () => {
  const bucket = `relabel-${randomBytes(4).toString('hex')}`;
  wire.bucket(bucket);
  return { store: createS3ObjectStore({ client: wire.clients.s3() }, { bucket }), cleanup: async () => wire.server.emptyBucket(bucket) };
});
