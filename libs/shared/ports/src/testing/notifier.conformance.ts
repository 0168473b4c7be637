import type { Notifier } from '../notifier.port';
import { describeConformance } from './conformance-suite';

export interface NotifierUnderTest {
  notifier: Notifier;
  /** what reached the receiving end (a webhook, a topic), in arrival order */
  received(): Promise<Array<{ channel: string; type: string; subject: string; data: Record<string, unknown>; dedupeId?: string }>>;
  cleanup(): Promise<void>;
}

/** The contract every Notifier adapter passes. */
export function describeNotifierConformance(name: string, make: () => Promise<NotifierUnderTest>): void {
  describeConformance('Notifier', name, make, (sut) => {
    it('delivers operator and consumer notifications with their type, subject, data and dedupe id', async () => {
      await sut().notifier.notify({ channel: 'operator', type: 'training.deployed', subject: 'v2 deployed', data: { version: 'v2', f1: 0.91 }, dedupeId: 'deploy-v2' });
      await sut().notifier.notify({ channel: 'consumer', type: 'detection.completed', subject: 'a.jpg', data: { key: 'images_for_detection/a.jpg' } });
      const deadline = Date.now() + 5000;
      let got = await sut().received();
      while (got.length < 2 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 25));
        got = await sut().received();
      }
      expect(got).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ channel: 'operator', type: 'training.deployed', subject: 'v2 deployed', data: { version: 'v2', f1: 0.91 }, dedupeId: 'deploy-v2' }),
          expect.objectContaining({ channel: 'consumer', type: 'detection.completed', data: { key: 'images_for_detection/a.jpg' } }),
        ]),
      );
    });
  });
}
