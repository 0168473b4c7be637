import { safeEqual } from './auth';

describe('safeEqual', () => {
  it('accepts only the exact secret', () => {
    expect(safeEqual('s3cret-token', 's3cret-token')).toBe(true);
    expect(safeEqual('s3cret-tokem', 's3cret-token')).toBe(false);
    expect(safeEqual('s3cret', 's3cret-token')).toBe(false);
    expect(safeEqual('', 's3cret-token')).toBe(false);
  });
});
