import { assertValidObjectKey } from './object-key-rules';

const codeOf = (key: string) => {
  try {
    assertValidObjectKey(key);
    return 'ok';
  } catch (err) {
    return (err as { code?: string }).code;
  }
};

describe('object key rules', () => {
  it.each(['a.jpg', 'images_for_detection/a b+c.jpg', 'a/.hidden', 'é/🐱.png', 'a..b/c..d', 'x'.repeat(1024)])('accepts %j', (key) => {
    expect(codeOf(key)).toBe('ok');
  });

  it.each(['', '..', '../a', 'a/..', 'a/./b', '/abs', 'a\\b', 'a\u0000b', 'a//b', 'a/', 'x'.repeat(1025), 'é'.repeat(513)])('refuses %j', (key) => {
    expect(codeOf(key)).toBe('STORE_INVALID_KEY');
  });
});
