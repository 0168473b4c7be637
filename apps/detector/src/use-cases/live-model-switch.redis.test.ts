import { MODEL_ACTIVATED_CHANNEL } from '@relabel/contracts';
import { detectorTestApp } from '../testing/detector-app';
import { makeJpeg } from '../testing/image-fixtures';

jest.setTimeout(30_000);

describe('switching the live model version under load', () => {
  it('fails no request: in-flight ones on the stopped version move to the new one', async () => {
    const t = await detectorTestApp({ RELABEL_DETECT_CONCURRENCY: '4', RELABEL_DETECT_MAX_QUEUED: '200' });
    try {
      t.modelService.labels.v1 = [{ name: 'cat', confidence: 90 }];
      t.modelService.labels.v2 = [{ name: 'cat', confidence: 95 }];
      const detect = t.modelService.detect.bind(t.modelService);
      // slow enough that many requests are in flight when the switch happens
      t.modelService.detect = async (...args) => {
        await new Promise((r) => setTimeout(r, 5));
        return detect(...args);
      };
      const jpeg = await makeJpeg();
      const send = () => t.app.inject({ method: 'POST', url: '/detect', payload: jpeg, headers: { 'content-type': 'image/jpeg' } });
      const first = Array.from({ length: 40 }, send);
      await new Promise((r) => setTimeout(r, 30));
      // What the trainer does: switch the durable pointer, announce it, then stop the old version.
      await t.app.providers.operationalState.set('activeModelVersion', 'v2');
      await t.app.publish(MODEL_ACTIVATED_CHANNEL, { version: 'v2' });
      t.modelService.stopped.add('v1');
      const second = Array.from({ length: 40 }, send);
      const answers = await Promise.all([...first, ...second]);
      expect(answers.map((r) => r.statusCode).filter((s) => s !== 200)).toEqual([]);
      const versions = answers.map((r) => r.json().modelVersion as string);
      expect(versions).toContain('v2');
      expect(new Set(versions)).toEqual(new Set(versions.includes('v1') ? ['v1', 'v2'] : ['v2']));
      expect(await t.app.detection.activeModel.current()).toBe('v2');
    } finally {
      await t.close();
    }
  });
});
