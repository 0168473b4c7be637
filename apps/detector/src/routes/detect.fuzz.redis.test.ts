import { PREFIX } from '@relabel/contracts';
import { listAllObjects } from '@relabel/ports';
import { seededRandom } from '@relabel/ports/testing';
import { detectorTestApp, multipartBody } from '../testing/detector-app';
import { makeJpeg, makePng } from '../testing/image-fixtures';

jest.setTimeout(60_000);

describe('POST /detect under fuzzing', () => {
  it('answers random and mutated bodies with 200 or a coded 4xx, never a 5xx, and keeps serving', async () => {
    const t = await detectorTestApp({ RELABEL_MAX_IMAGE_BYTES: '100000', RELABEL_MAX_IMAGE_PIXELS: '500000' });
    try {
      t.modelService.labels.v1 = [{ name: 'cat', confidence: 90 }];
      const rng = seededRandom(77);
      const int = (n: number) => Math.floor(rng() * n);
      const seeds = [await makeJpeg(80, 60, 2), await makePng(80, 60, 3)];
      const types = ['image/jpeg', 'image/png', 'multipart', 'text/plain', 'application/octet-stream'];
      const statuses = new Map<number, number>();
      let ok = 0;
      for (let i = 0; i < 150; i++) {
        const body = Buffer.from(seeds[i % 2]!);
        if (i % 3 === 0) for (let k = 0; k < 1 + int(6); k++) body[int(body.length)] = int(256);
        const cut = i % 3 === 1 ? body.subarray(0, int(body.length)) : i % 3 === 2 ? Buffer.from(Array.from({ length: int(3000) }, () => int(256))) : body;
        const type = types[int(types.length)]!;
        const req = type === 'multipart' ? multipartBody([{ name: 'image', filename: 'f', type: 'image/jpeg', body: cut }]) : { payload: cut, contentType: type };
        const res = await t.app.inject({ method: 'POST', url: '/detect', payload: req.payload, headers: { 'content-type': req.contentType } });
        statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
        if (res.statusCode === 200) {
          ok++;
          continue;
        }
        expect(res.statusCode).toBeGreaterThanOrEqual(400);
        expect(res.statusCode).toBeLessThan(500);
        expect(res.json()).toEqual({ code: expect.stringMatching(/^(IMAGE_|MULTIPART_)/), message: expect.any(String) });
      }
      expect([...statuses.keys()].some((s) => s >= 400)).toBe(true);
      let stored = 0;
      for await (const _ of listAllObjects(t.app.providers.objectStore, PREFIX.forDetection)) stored++;
      expect(stored).toBe(ok);
      const healthy = await t.app.inject({ method: 'POST', url: '/detect', payload: seeds[0]!, headers: { 'content-type': 'image/jpeg' } });
      expect(healthy.statusCode).toBe(200);
    } finally {
      await t.close();
    }
  });
});
