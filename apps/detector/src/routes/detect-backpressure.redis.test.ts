jest.setTimeout(30_000);

import { CONFIG_CHANGED_CHANNEL } from '@relabel/contracts';
import type { DetectedLabel } from '@relabel/ports';
import { detectorTestApp } from '../testing/detector-app';
import { makeJpeg } from '../testing/image-fixtures';

describe('POST /detect under saturation, with a token, before the first model', () => {
  it('answers 503 DETECTION_BUSY with Retry-After beyond concurrency + queue, then recovers', async () => {
    const t = await detectorTestApp({ RELABEL_DETECT_CONCURRENCY: '1', RELABEL_DETECT_MAX_QUEUED: '1' });
    try {
      let open!: () => void;
      const gate = new Promise<void>((resolve) => (open = resolve));
      const detect = t.modelService.detect.bind(t.modelService);
      t.modelService.detect = async (...args): Promise<DetectedLabel[]> => {
        await gate;
        return detect(...args);
      };
      const jpeg = await makeJpeg();
      const send = () => t.app.inject({ method: 'POST', url: '/detect', payload: jpeg, headers: { 'content-type': 'image/jpeg' } });
      const admitted = [send(), send()];
      await new Promise((r) => setTimeout(r, 50));
      const refused = await send();
      expect(refused.statusCode).toBe(503);
      expect(refused.headers['retry-after']).toBe('1');
      expect(refused.json().code).toBe('DETECTION_BUSY');
      open();
      expect((await Promise.all(admitted)).map((r) => r.statusCode)).toEqual([200, 200]);
      expect(t.app.detection.limiter.stats()).toEqual({ active: 0, waiting: 0, admitted: 0 });
      expect((await send()).statusCode).toBe(200);
    } finally {
      await t.close();
    }
  });

  it('requires RELABEL_DETECT_TOKEN when it is set', async () => {
    const t = await detectorTestApp({ RELABEL_DETECT_TOKEN: 'detect-secret-123' });
    try {
      const jpeg = await makeJpeg();
      const send = (auth?: string) =>
        t.app.inject({ method: 'POST', url: '/detect', payload: jpeg, headers: { 'content-type': 'image/jpeg', ...(auth ? { authorization: auth } : {}) } });
      expect((await send()).json().code).toBe('AUTH_REQUIRED');
      const wrong = await send('Bearer nope-nope-nope');
      expect([wrong.statusCode, wrong.json().code]).toEqual([401, 'AUTH_INVALID']);
      expect((await send('Bearer detect-secret-123')).statusCode).toBe(200);
      expect(t.app.detection.limiter.stats().admitted).toBe(0);
    } finally {
      await t.close();
    }
  });

  it('answers no_model before a deployment and routes to review; a parameter change applies within 5 s', async () => {
    const t = await detectorTestApp({}, { activeModel: null });
    try {
      const jpeg = await makeJpeg();
      const send = () => t.app.inject({ method: 'POST', url: '/detect', payload: jpeg, headers: { 'content-type': 'image/jpeg' } });
      const first = (await send()).json();
      expect(first).toMatchObject({ status: 'no_model', modelVersion: null, labels: [], passed: false });
      expect(t.humanReview.loops.has(first.humanLoop.name)).toBe(true);
      await t.app.providers.parameterStore.put('Enable-A2I-Workflow', 'false');
      // what config-watcher announces after a change; the 5 s periodic re-read is the fallback
      await t.app.publish(CONFIG_CHANGED_CHANNEL, { names: ['Enable-A2I-Workflow'], at: new Date().toISOString(), source: 'test' });
      const deadline = Date.now() + 4000;
      while (t.app.parameters.current()['Enable-A2I-Workflow'] && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect((await send()).json()).toMatchObject({ status: 'no_model', humanLoop: null });
      const got = await t.app.inject({ method: 'GET', url: `/detections/${first.id}` });
      expect(got.json().humanLoop).toMatchObject({ name: first.humanLoop.name, status: 'pending' });
    } finally {
      await t.close();
    }
  });
});
