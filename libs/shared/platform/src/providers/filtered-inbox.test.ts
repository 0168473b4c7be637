import type { ObjectCreated } from '@relabel/contracts';
import { silentLogger, type EventInbox, type ObjectCreatedHandler } from '@relabel/ports';
import { filteredInbox } from './filtered-inbox';

const event = (bucket: string, key: string): ObjectCreated => ({ bucket, key, size: 1, eTag: 'e', eventTime: '2026-01-01T00:00:00.000Z' });

describe('filteredInbox', () => {
  it('passes on only events for its bucket under its prefixes, and forwards stop', async () => {
    let deliver: ObjectCreatedHandler = async () => undefined;
    const stop = jest.fn(async () => undefined);
    const inner: EventInbox = { start: async (h) => void (deliver = h), stop };
    const seen: string[] = [];
    const inbox = filteredInbox(inner, { bucket: 'b', prefixes: ['images_for_detection/'] }, silentLogger);
    await inbox.start(async (e) => void seen.push(`${e.bucket}/${e.key}`));
    await deliver(event('b', 'images_for_detection/a.jpg'));
    await deliver(event('b', 'detection_results/images_for_detection/a.jpg.json'));
    await deliver(event('other', 'images_for_detection/b.jpg'));
    expect(seen).toEqual(['b/images_for_detection/a.jpg']);
    await inbox.stop();
    expect(stop).toHaveBeenCalledTimes(1);
  });
});
