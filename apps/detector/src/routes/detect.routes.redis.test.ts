import { PREFIX } from '@relabel/contracts';
import { listAllObjects } from '@relabel/ports';
import { detectorTestApp, multipartBody } from '../testing/detector-app';
import { makeGif, makeJpeg, makePng, withPngDimensions } from '../testing/image-fixtures';

const MAX = 200_000;

describe('POST /detect and GET /detections/:id', () => {
  let t: Awaited<ReturnType<typeof detectorTestApp>>;
  beforeAll(async () => {
    t = await detectorTestApp({ RELABEL_MAX_IMAGE_BYTES: String(MAX), RELABEL_MAX_IMAGE_PIXELS: '1000000' });
    t.modelService.labels.v1 = [
      { name: 'cat', confidence: 93 },
      { name: 'dog', confidence: 5 },
      { name: 'fox', confidence: 2 },
    ];
  });
  afterAll(() => t.close());

  const post = (payload: Buffer | string, contentType?: string, url = '/detect') =>
    t.app.inject({ method: 'POST', url, payload, headers: contentType ? { 'content-type': contentType } : {} });

  async function detectionImages(): Promise<string[]> {
    const keys: string[] = [];
    for await (const o of listAllObjects(t.app.providers.objectStore, PREFIX.forDetection)) keys.push(o.key);
    return keys;
  }

  it('detects a raw JPEG and a raw PNG, and serves the record by id', async () => {
    const res = await post(await makeJpeg(), 'image/jpeg');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ status: 'ok', modelVersion: 'v1', threshold: 70, passed: true, humanLoop: null });
    expect(body.labels).toEqual(t.modelService.labels.v1);
    expect(await t.app.providers.objectStore.head(body.imageKey)).not.toBeNull();
    expect((await post(await makeJpeg(), 'image/jpg')).statusCode).toBe(200);
    const png = await post(await makePng(), 'image/png');
    expect(png.statusCode).toBe(200);
    expect(png.json().imageKey).toMatch(/\.png$/);
    const got = await t.app.inject({ method: 'GET', url: `/detections/${body.id}` });
    expect(got.statusCode).toBe(200);
    expect(got.json()).toMatchObject({ id: body.id, imageKey: body.imageKey, labels: body.labels, humanLoop: null });
  });

  it('takes the image from multipart field "image" and honours maxResults', async () => {
    const form = multipartBody([
      { name: 'note', body: 'hello' },
      { name: 'image', filename: 'x.jpg', type: 'image/jpeg', body: await makeJpeg() },
    ]);
    const res = await post(form.payload, form.contentType, '/detect?maxResults=2');
    expect(res.statusCode).toBe(200);
    expect(res.json().labels).toHaveLength(2);
    expect(t.modelService.calls.at(-1)).toMatchObject({ maxResults: 2 });
  });

  it.each([
    ['an empty body', async () => post(Buffer.alloc(0), 'image/jpeg'), 400, 'IMAGE_EMPTY'],
    ['no body at all', async () => t.app.inject({ method: 'POST', url: '/detect' }), 400, 'IMAGE_EMPTY'],
    ['a wrong Content-Type', async () => post('hello', 'text/plain'), 415, 'IMAGE_UNSUPPORTED_TYPE'],
    ['a JSON body', async () => post('{"image":"x"}', 'application/json'), 415, 'IMAGE_UNSUPPORTED_TYPE'],
    ['bytes that are not an image', async () => post('definitely not a jpeg', 'image/jpeg'), 415, 'IMAGE_UNSUPPORTED_TYPE'],
    ['an unsupported format', async () => post(await makeGif(), 'image/png'), 415, 'IMAGE_UNSUPPORTED_TYPE'],
    ['a truncated JPEG', async () => post((await makeJpeg(200, 150)).subarray(0, 1500), 'image/jpeg'), 422, 'IMAGE_CORRUPT'],
    ['a body over the size limit', async () => post(Buffer.concat([await makeJpeg(), Buffer.alloc(MAX)]), 'image/jpeg'), 413, 'IMAGE_TOO_LARGE'],
    ['a decompression bomb', async () => post(withPngDimensions(await makePng(8, 8), 40_000, 40_000), 'image/png'), 422, 'IMAGE_DIMENSIONS'],
    ['multipart without the field', async () => {
      const form = multipartBody([{ name: 'file', filename: 'x.jpg', type: 'image/jpeg', body: await makeJpeg() }]);
      return post(form.payload, form.contentType);
    }, 400, 'MULTIPART_NO_IMAGE'],
    ['multipart with text fields only', async () => {
      const form = multipartBody([{ name: 'image', body: 'not a file' }]);
      return post(form.payload, form.contentType);
    }, 400, 'MULTIPART_NO_IMAGE'],
    ['multipart without a boundary', async () => post('garbage', 'multipart/form-data'), 400, 'MULTIPART_INVALID'],
    ['multipart with a file over the limit', async () => {
      const form = multipartBody([{ name: 'image', filename: 'x.jpg', type: 'image/jpeg', body: Buffer.alloc(MAX + 10, 0xff) }]);
      return post(form.payload, form.contentType);
    }, 413, 'IMAGE_TOO_LARGE'],
    ['a corrupt image in multipart', async () => {
      const form = multipartBody([{ name: 'image', filename: 'x.jpg', type: 'image/jpeg', body: (await makeJpeg(200, 150)).subarray(0, 900) }]);
      return post(form.payload, form.contentType);
    }, 422, 'IMAGE_CORRUPT'],
    ['an invalid maxResults', async () => post(await makeJpeg(), 'image/jpeg', '/detect?maxResults=0'), 400, 'REQUEST_INVALID'],
  ])('refuses %s with a coded 4xx and stores nothing', async (_what, send, status, code) => {
    const before = await detectionImages();
    const res = await send();
    expect(res.statusCode).toBe(status);
    expect(res.json()).toEqual(expect.objectContaining({ code, message: expect.any(String) }));
    expect(await detectionImages()).toEqual(before);
  });

  it("sends an error's details to the client (IMAGE_TOO_LARGE names the limit)", async () => {
    const res = await post(Buffer.concat([await makeJpeg(), Buffer.alloc(MAX)]), 'image/jpeg');
    expect(res.statusCode).toBe(413);
    expect(res.json()).toEqual({ code: 'IMAGE_TOO_LARGE', message: expect.any(String), details: { limit: MAX } });
  });

  it('keeps serving after every bad request', async () => {
    expect((await post(await makeJpeg(), 'image/jpeg')).statusCode).toBe(200);
  });

  it('answers 404 DETECTION_NOT_FOUND for unknown or malformed ids', async () => {
    for (const id of ['bm9wZS5qcGc', 'Li4vLi4vZXRjL3Bhc3N3ZA', 'Li4', 'not!base64']) {
      const res = await t.app.inject({ method: 'GET', url: `/detections/${id}` });
      expect(res.statusCode).toBe(404);
      expect(res.json().code).toBe('DETECTION_NOT_FOUND');
    }
  });

  it('counts detections in /metrics', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(res.body).toMatch(/relabel_detections_total\{[^}]*source="api"[^}]*status="ok"[^}]*\} [1-9]/);
    expect(res.body).toMatch(/relabel_detection_duration_seconds_bucket/);
    // the 16 refusals above, those stopped by the body parser (wrong Content-Type, too large) included
    const rejected = /relabel_detections_total\{[^}]*source="api"[^}]*status="rejected"[^}]*\} (\d+)/.exec(res.body);
    expect(Number(rejected?.[1])).toBe(16);
  });
});

describe('OpenAPI', () => {
  it('documents POST /detect and GET /detections/:id', async () => {
    const t = await detectorTestApp();
    try {
      const res = await t.app.inject({ method: 'GET', url: '/docs/json' });
      expect(res.statusCode).toBe(200);
      const spec = res.json();
      expect(spec.paths['/detect'].post.responses['200']).toBeDefined();
      expect(spec.paths['/detections/{id}'].get).toBeDefined();
    } finally {
      await t.close();
    }
  });
});
