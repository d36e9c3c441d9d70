// TokenSet.rank: a token's place in its set, read from the B-tree's counted nodes. Slots in the other
// tests hold a handful of tokens (one leaf); these sets grow to thousands, so the tree has internal
// nodes two levels deep, splits on insert and merges on delete.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { byIssue, TokenSet } from './ordered-set.ts';
import type { Token } from './types.ts';

/** Just what byIssue reads, and a label for messages. */
const token = (number: number, issuedAt: number) => ({ number, issuedAt, label: `T-${number}` }) as Token;

/** Places by sorting the members afresh (issue time, then number), not from the set. */
function places(members: Iterable<Token>): Map<Token, number> {
  const sorted = [...members].sort((a, b) => a.issuedAt - b.issuedAt || a.number - b.number);
  return new Map(sorted.map((t, i) => [t, i]));
}

describe('TokenSet.rank', () => {
  it('is each token’s place in issue order, through thousands of random adds, removals and re-keyings', () => {
    const op = fc.oneof(
      { weight: 5, arbitrary: fc.record({ kind: fc.constant('add' as const), issuedAt: fc.integer({ min: 0, max: 500 }) }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }) },
      // A field the order reads changes: out, change, back in (as the fold does).
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('rekey' as const), pick: fc.nat(), issuedAt: fc.integer({ min: 0, max: 500 }) }) },
    );
    fc.assert(
      fc.property(fc.array(op, { minLength: 500, maxLength: 4_000 }), (ops) => {
        const set = new TokenSet(byIssue);
        const members: Token[] = [];
        let next = 1;
        for (const o of ops) {
          if (o.kind === 'add') {
            const t = token(next++, o.issuedAt);
            set.add(t);
            members.push(t);
            continue;
          }
          if (members.length === 0) continue;
          const i = o.pick % members.length;
          const t = members[i]!;
          expect(set.delete(t)).toBe(true);
          if (o.kind === 'delete') members.splice(i, 1);
          else {
            (t as { issuedAt: number }).issuedAt = o.issuedAt;
            set.add(t);
          }
        }
        const expected = places(members);
        expect(set.size).toBe(members.length);
        for (const t of members) expect(set.rank(t)).toBe(expected.get(t));
      }),
      { numRuns: 30 },
    );
  });

  it('refuses a token that is not in the set, before, between and after its members', () => {
    const set = new TokenSet(byIssue);
    const members = Array.from({ length: 1_000 }, (_, i) => token(2 * i + 2, 2 * i + 2));
    for (const t of members) set.add(t);
    expect([members[0]!, members[499]!, members[999]!].map((t) => set.rank(t))).toEqual([0, 499, 999]);
    for (const stranger of [token(1, 1), token(999, 999), token(5_000, 5_000), token(2, 2)]) {
      // token(2, 2) orders like a member but is another object: the set holds the member, not it.
      expect(() => set.rank(stranger)).toThrow(`token ${stranger.label} is not in the set`);
    }
    expect(() => new TokenSet(byIssue).rank(token(1, 1))).toThrow('is not in the set');
  });
});
