import { assertValidKey, compareKeys, isGoneError, isValidKey, keyToPath, splitPrefix } from './object-key';

const code = (fn: () => unknown) => {
  try {
    fn();
    return 'ok';
  } catch (err) {
    return (err as { code?: string }).code;
  }
};

describe('object keys', () => {
  it.each(['a.jpg', 'images_for_detection/a b+c.jpg', 'a/.hidden', 'é/🐱.png', 'a..b/c..d'])('accepts %j', (key) => {
    expect(code(() => assertValidKey(key))).toBe('ok');
  });

  it.each(['', '..', '../a', 'a/..', 'a/./b', '/abs', 'a\\b', 'a\u0000b', 'a//b', 'a/', '.relabel-tmp/x', 'x'.repeat(1025), `${'y'.repeat(256)}/z`])(
    'refuses %j with STORE_INVALID_KEY',
    (key) => {
      expect(code(() => assertValidKey(key))).toBe('STORE_INVALID_KEY');
    },
  );

  it('maps a key under the root and never outside it', () => {
    expect(keyToPath('/data/bucket', 'a/b.jpg')).toBe('/data/bucket/a/b.jpg');
    expect(code(() => keyToPath('/data/bucket', '../bucket2/x'))).toBe('STORE_INVALID_KEY');
  });

  it('splits a prefix into complete folders and an unfinished name, refusing traversal', () => {
    expect(splitPrefix('')).toEqual({ dirSegments: [], namePrefix: '' });
    expect(splitPrefix('a/b/ca')).toEqual({ dirSegments: ['a', 'b'], namePrefix: 'ca' });
    expect(splitPrefix('a/')).toEqual({ dirSegments: ['a'], namePrefix: '' });
    expect(code(() => splitPrefix('../'))).toBe('STORE_INVALID_KEY');
    expect(code(() => splitPrefix('a/..'))).toBe('STORE_INVALID_KEY');
    expect(code(() => splitPrefix('/a'))).toBe('STORE_INVALID_KEY');
  });

  it('orders keys by UTF-8 bytes like S3', () => {
    const keys = ['a0', 'a/b', 'a-b', '\uFF21', '\u{1F431}'];
    expect([...keys].sort(compareKeys)).toEqual(['a-b', 'a/b', 'a0', '\uFF21', '\u{1F431}']);
  });
});

describe('listing helpers', () => {
  it('tells valid keys from files that are not objects, and vanished paths from other errors', () => {
    expect(isValidKey('images/a.jpg')).toBe(true);
    expect(['', '../x', 'a//b', `${'x'.repeat(256)}.jpg`].map(isValidKey)).toEqual([false, false, false, false]);
    expect([{ code: 'ENOENT' }, { code: 'ENOTDIR' }, { code: 'EACCES' }].map(isGoneError)).toEqual([true, true, false]);
  });
});
