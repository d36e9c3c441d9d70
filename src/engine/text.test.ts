// SPEC 10: one rule for text, counted in code points, with the same words wherever it refuses.
import { describe, expect, it } from 'vitest';
import { textLength, textProblem } from './text.ts';

/** Names of exactly 200 code points, in three scripts; one more code point is one too many. */
const AT_LIMIT = {
  // U+1F642, one code point, two UTF-16 units: 200 of them were 400 units, refused as "required".
  emoji: '🙂'.repeat(200),
  // न + the combining vowel sign ि: two code points, one user-perceived character.
  devanagari: 'नि'.repeat(100),
  ascii: 'a'.repeat(200),
};
const ONE_OVER = { emoji: `${AT_LIMIT.emoji}🙂`, devanagari: `${AT_LIMIT.devanagari}न`, ascii: `${AT_LIMIT.ascii}a` };

describe('the text rule', () => {
  it('counts code points: an emoji is one, a Devanagari letter with its vowel sign two', () => {
    expect(textLength('🙂')).toBe(1);
    expect(textLength('नि')).toBe(2);
    expect(textLength('\ud800')).toBe(1);
    expect(textLength(AT_LIMIT.emoji)).toBe(200);
  });

  it('refuses control characters (NUL, C0, DEL, C1) and lone surrogates, wherever they are', () => {
    for (const bad of ['\u0000', 'a\u0001', '\tRavi', 'Ravi\n', 'Ra\u007fvi', 'Ra\u0085vi', 'Ra\u009fvi']) {
      expect(textProblem(bad, 200), JSON.stringify(bad)).toMatch(/^must not contain control characters \(U\+00[0-9A-F]{2}\)$/);
    }
    for (const bad of ['\ud800', 'a\udbff', '\udc00a', 'x\udfffy', '🙂'.slice(0, 1), '🙂'.slice(1)]) {
      expect(textProblem(bad, 200), JSON.stringify(bad)).toMatch(/^must not contain an unpaired surrogate \(U\+D[89A-F][0-9A-F]{2}\)$/);
    }
    expect(textProblem('Ravi 🙂 नि', 200)).toBeNull();
  });

  it('does not count surrounding spaces, and refuses a blank text', () => {
    expect(textProblem(`  ${AT_LIMIT.ascii}  `, 200)).toBeNull();
    expect(textProblem('   ', 200)).toBe('must not be empty');
    expect(textProblem(7, 200)).toBe('must be a string');
  });

  for (const script of ['emoji', 'devanagari', 'ascii'] as const) {
    it(`${script}: exactly 200 code points are taken; one more is refused, saying why`, () => {
      expect(textProblem(AT_LIMIT[script], 200)).toBeNull();
      expect(textProblem(ONE_OVER[script], 200)).toBe('must be at most 200 characters (code points)');
    });
  }
});
