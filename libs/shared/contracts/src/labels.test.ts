import { assertValidAnswer, assertValidLabel, isValidAnswer, isValidLabel, NONE_OF_THE_ABOVE } from './labels';

describe('label names', () => {
  it.each(['cat', 'Logo_2', 'a.b-c', 'x'.repeat(64)])('accepts %p', (name) => {
    expect(isValidLabel(name)).toBe(true);
  });

  it.each(['', '.', '..', '../x', 'a/b', 'a\\b', 'tab\there', 'nul\u0000', 'x'.repeat(65), 'spa ce', 'None of the Above'])('refuses %p', (name) => {
    expect(isValidLabel(name)).toBe(false);
    expect(() => assertValidLabel(name)).toThrow(expect.objectContaining({ code: 'REVIEW_INVALID_LABEL' }));
  });
});

describe("a reviewer's answer", () => {
  it('is a valid label or None of the Above, and nothing else', () => {
    expect(isValidAnswer('cat')).toBe(true);
    expect(assertValidAnswer(NONE_OF_THE_ABOVE)).toBe(NONE_OF_THE_ABOVE);
    for (const bad of ['../x', 'none of the above', '']) {
      expect(isValidAnswer(bad)).toBe(false);
      expect(() => assertValidAnswer(bad)).toThrow(expect.objectContaining({ code: 'REVIEW_INVALID_LABEL' }));
    }
  });
});
