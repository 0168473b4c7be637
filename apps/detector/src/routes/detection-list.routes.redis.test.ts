import { TEST_ADMIN_TOKEN } from '@relabel/platform/testing';
import { detectorTestApp } from '../testing/detector-app';
import { makeJpeg } from '../testing/image-fixtures';

const admin = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };

describe('GET /detections (the latest detections, operator)', () => {
  let t: Awaited<ReturnType<typeof detectorTestApp>>;
  beforeAll(async () => {
    t = await detectorTestApp();
    t.modelService.labels.v1 = [{ name: 'cat', confidence: 93 }];
  });
  afterAll(() => t.close());

  const list = (query = '', headers: Record<string, string> = admin) => t.app.inject({ url: `/detections${query}`, headers });

  it('needs the admin token', async () => {
    expect((await list('', {})).json()).toMatchObject({ code: 'AUTH_REQUIRED' });
  });

  it('lists the stored results newest first, skips foreign files, honours limit and since', async () => {
    expect((await list()).json()).toEqual({ items: [], total: 0 });
    const posted: string[] = [];
    for (const seed of [1, 2, 3]) {
      const res = await t.app.inject({ method: 'POST', url: '/detect', payload: await makeJpeg(64, 48, seed), headers: { 'content-type': 'image/jpeg' } });
      posted.push(res.json().id);
    }
    await t.app.providers.objectStore.put('detection_results/broken.jpg.json', Buffer.from('{"half":'));

    const all = (await list()).json();
    expect(all.total).toBe(4);
    expect(all.items.map((d: { id: string }) => d.id).sort()).toEqual([...posted].sort());
    expect(all.items[0]).toMatchObject({ modelVersion: 'v1', labels: [{ name: 'cat', confidence: 93 }], passed: true, status: 'ok' });
    const times = all.items.map((d: { detectedAt: string }) => d.detectedAt);
    expect([...times].sort().reverse()).toEqual(times);

    expect((await list('?limit=2')).json().items).toHaveLength(2);
    expect((await list(`?since=${new Date(Date.now() + 60_000).toISOString()}`)).json()).toEqual({ items: [], total: 4 });
    expect((await list('?limit=0')).statusCode).toBe(400);
    expect((await list('?since=yesterday')).statusCode).toBe(400);
  });
});
