import { assertValidLabel, isValidLabel } from './labels';

describe('label names', () => {
  it.each(['cat', 'Logo_2', 'a.b-c', 'x'.repeat(64)])('accepts %p', (name) => {
    expect(isValidLabel(name)).toBe(true);
  });

  it.each(['', '.', '..', '../x', 'a/b', 'a\\b', 'tab\there', 'nul\u0000', 'x'.repeat(65), 'spa ce', 'None of the Above'])('refuses %p', (name) => {
    expect(isValidLabel(name)).toBe(false);
    expect(() => assertValidLabel(name)).toThrow(expect.objectContaining({ code: 'REVIEW_INVALID_LABEL' }));
  });
});
