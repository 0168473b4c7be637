import { isValid } from './schema';
import { ObjectCreatedSchema } from './object-created.event';

const event = (eventTime: string) => ({ bucket: 'b', key: 'images_for_detection/a.jpg', size: 1, eTag: 'abc', eventTime });

describe('schema string formats', () => {
  it.each(['2026-11-24T22:13:01.000Z', '2026-11-24T22:13:01Z', '2026-11-24T23:13:01+01:00'])('accepts the date-time %s', (t) => {
    expect(isValid(ObjectCreatedSchema, event(t))).toBe(true);
  });

  it.each(['yesterday', '2026-11-24', '2026-13-45T99:99:99Z', ''])('refuses the date-time %j', (t) => {
    expect(isValid(ObjectCreatedSchema, event(t))).toBe(false);
  });
});
