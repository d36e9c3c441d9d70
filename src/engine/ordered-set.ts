import sortedBtree from 'sorted-btree';
import type { Token } from './types.ts';

// sorted-btree is CommonJS: Node's ESM loader hands over its module object (whose `default` is the
// class), while Vite's interop hands over the class itself. The type follows the same rule, so that
// both the server's (NodeNext) and the web desk's (Bundler) type checks read it.
type BTreeClass = typeof sortedBtree extends { default: infer C } ? C : typeof sortedBtree;
const BTree = ((sortedBtree as unknown as { default?: unknown }).default ?? sortedBtree) as BTreeClass;

export type TokenOrder = (a: Token, b: Token) => number;

/**
 * An ordered set of tokens (a B+ tree): O(log n) insert, delete, first and last. The order reads the
 * token's fields, so a token must be removed before a field its order reads changes, and added back after.
 * Every order ends with the token number, which is unique in a doctor-day, so the order is total.
 */
export class TokenSet {
  private readonly tree: InstanceType<typeof BTree<Token, undefined>>;

  constructor(order: TokenOrder) {
    this.tree = new BTree<Token, undefined>(undefined, order);
  }

  add(t: Token): void {
    this.tree.set(t, undefined);
  }

  delete(t: Token): boolean {
    return this.tree.delete(t);
  }

  get size(): number {
    return this.tree.size;
  }

  first(): Token | undefined {
    return this.tree.minKey();
  }

  last(): Token | undefined {
    return this.tree.maxKey();
  }

  /** In order, first to last. */
  values(): IterableIterator<Token> {
    return this.tree.keys();
  }

  /**
   * How many tokens `counts` says yes to: a walk of the tree's leaves without an iterator object per
   * step, several times cheaper than counting over `values()` (a big slot's estimate counts hundreds).
   */
  count(counts: (t: Token) => boolean): number {
    let n = 0;
    this.tree.forEachPair((t) => {
      if (counts(t)) n++;
    });
    return n;
  }
}

/** Waitlist and serving order (SPEC 2, 5, 7): effective rank, then issuedAt, then number. */
export const byPriority: TokenOrder = (a, b) =>
  a.effectiveRank - b.effectiveRank || a.issuedAt - b.issuedAt || a.number - b.number;

/**
 * Serving order of a slot's checked-in tokens (SPEC 7): a skipped token goes behind every token that
 * was checked in when it was skipped (its `requeue` is the day's count of skips then), then priority.
 */
export const byServing: TokenOrder = (a, b) => a.requeue - b.requeue || byPriority(a, b);

/** Booking order: issuedAt, then number. The last of a set is "the last booked". */
export const byIssue: TokenOrder = (a, b) => a.issuedAt - b.issuedAt || a.number - b.number;

/** Aging order: the start of the current wait, then number. */
export const byWaitStart: TokenOrder = (a, b) => (a.waitingSince ?? 0) - (b.waitingSince ?? 0) || a.number - b.number;
