import { createHash } from 'crypto';
import { describeErrors, isValid, ObjectCreatedSchema, type ObjectCreated } from '@relabel/contracts';
import type { EventInbox, ObjectCreatedHandler } from '../event-inbox.port';
import { describeConformance } from './conformance-suite';

/** What the suite drives: the adapter's own way of producing objects and (re)starting inboxes. */
export interface EventInboxHarness {
  bucket: string;
  /** A key prefix the inboxes watch; created keys are under it. */
  prefix: string;
  /** A new inbox over the same durable state (folder + ledger, or queue), as after a restart. */
  makeInbox(): EventInbox;
  /** Creates or replaces an object, as a producer would (store put, copied file, S3 notification). */
  createObject(key: string, body: Buffer): Promise<void>;
  /** How long to keep watching after the expected events, to be sure no extra one follows. */
  quietMs: number;
  cleanup(): Promise<void>;
}

const md5 = (body: Buffer) => createHash('md5').update(body).digest('hex');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Records events; `until(n)` waits (bounded) for at least n of them. */
function recorder() {
  const events: ObjectCreated[] = [];
  const handler: ObjectCreatedHandler = async (event) => {
    events.push(event);
  };
  async function until(n: number, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (events.length < n && Date.now() < deadline) await sleep(20);
  }
  return { events, handler, until };
}

/**
 * The contract of every EventInbox adapter (local folder scanner, SQS): each created object is one
 * valid ObjectCreated event, objects created while no inbox runs are delivered after a restart, a
 * failing handler is retried, a new content version is a new event, and stop waits for handlers.
 */
export function describeEventInboxConformance(name: string, makeHarness: () => Promise<EventInboxHarness>): void {
  describeConformance('EventInbox', name, makeHarness, (h) => {
    const running: EventInbox[] = [];
    const start = async (handler: ObjectCreatedHandler) => {
      const inbox = h().makeInbox();
      running.push(inbox);
      await inbox.start(handler);
      return inbox;
    };
    afterEach(async () => {
      for (const inbox of running.splice(0)) await inbox.stop();
    });

    it('delivers one valid ObjectCreated per created object (key, size, eTag = MD5)', async () => {
      const rec = recorder();
      await start(rec.handler);
      const bodies = new Map([0, 1, 2].map((i) => [`${h().prefix}img ${i}+x.jpg`, Buffer.from(`image-${i}-${'z'.repeat(i * 100)}`)]));
      for (const [key, body] of bodies) await h().createObject(key, body);
      await rec.until(3);
      await sleep(h().quietMs);
      expect(rec.events).toHaveLength(3);
      for (const event of rec.events) {
        expect(describeErrors(ObjectCreatedSchema, event)).toBe('');
        expect(isValid(ObjectCreatedSchema, event)).toBe(true);
        const body = bodies.get(event.key);
        expect(body).toBeDefined();
        expect(event).toMatchObject({ bucket: h().bucket, size: body!.length, eTag: md5(body!) });
      }
      expect(new Set(rec.events.map((e) => e.key)).size).toBe(3);
    });

    it('delivers objects created while stopped after a restart, and does not repeat delivered ones', async () => {
      const first = recorder();
      const inbox = await start(first.handler);
      await h().createObject(`${h().prefix}before.jpg`, Buffer.from('before'));
      await first.until(1);
      await inbox.stop();
      await h().createObject(`${h().prefix}while-down-1.jpg`, Buffer.from('down-1'));
      await h().createObject(`${h().prefix}while-down-2.jpg`, Buffer.from('down-2'));
      const second = recorder();
      await start(second.handler);
      await second.until(2);
      await sleep(h().quietMs);
      expect(first.events.map((e) => e.key)).toEqual([`${h().prefix}before.jpg`]);
      expect(second.events.map((e) => e.key).sort()).toEqual([`${h().prefix}while-down-1.jpg`, `${h().prefix}while-down-2.jpg`]);
    });

    it('retries an event whose handler failed, without blocking the others', async () => {
      const delivered: string[] = [];
      let failuresLeft = 2;
      await start(async (event) => {
        if (event.key.endsWith('flaky.jpg') && failuresLeft-- > 0) throw new Error('consumer down');
        delivered.push(event.key);
      });
      await h().createObject(`${h().prefix}flaky.jpg`, Buffer.from('flaky'));
      await h().createObject(`${h().prefix}fine.jpg`, Buffer.from('fine'));
      const deadline = Date.now() + 15_000;
      while (delivered.length < 2 && Date.now() < deadline) await sleep(20);
      await sleep(h().quietMs);
      expect(failuresLeft).toBeLessThan(0);
      expect(delivered.sort()).toEqual([`${h().prefix}fine.jpg`, `${h().prefix}flaky.jpg`]);
    });

    it('treats a new content version of the same key as a new event', async () => {
      const rec = recorder();
      await start(rec.handler);
      await h().createObject(`${h().prefix}same.jpg`, Buffer.from('v1'));
      await rec.until(1);
      await h().createObject(`${h().prefix}same.jpg`, Buffer.from('v2 longer'));
      await rec.until(2);
      await sleep(h().quietMs);
      expect(rec.events.map((e) => e.eTag)).toEqual([md5(Buffer.from('v1')), md5(Buffer.from('v2 longer'))]);
    });

    it('stop() waits for the handler in flight', async () => {
      let entered = false;
      let finished = false;
      const inbox = await start(async () => {
        entered = true;
        await sleep(300);
        finished = true;
      });
      await h().createObject(`${h().prefix}slow.jpg`, Buffer.from('slow'));
      const deadline = Date.now() + 15_000;
      while (!entered && Date.now() < deadline) await sleep(10);
      expect(entered).toBe(true);
      await inbox.stop();
      expect(finished).toBe(true);
    });

    it('delivers a burst of objects exactly once each', async () => {
      const rec = recorder();
      await start(rec.handler);
      const keys = Array.from({ length: 60 }, (_, i) => `${h().prefix}burst/${String(i).padStart(3, '0')}.png`);
      await Promise.all(keys.map((key) => h().createObject(key, Buffer.from(key))));
      await rec.until(keys.length);
      await sleep(h().quietMs);
      expect(rec.events.map((e) => e.key).sort()).toEqual(keys);
    });
  });
}
