import sortedBtree from 'sorted-btree';
import type { Token } from './types.ts';

// sorted-btree is CommonJS: Node's ESM loader hands over its module object (whose `default` is the
// class), while Vite's interop hands over the class itself. The type follows the same rule, so that
// both the server's (NodeNext) and the web desk's (Bundler) type checks read it.
type BTreeClass = typeof sortedBtree extends { default: infer C } ? C : typeof sortedBtree;
const BTree = ((sortedBtree as unknown as { default?: unknown }).default ?? sortedBtree) as BTreeClass;

export type TokenOrder = (a: Token, b: Token) => number;
type Tree = InstanceType<typeof BTree<Token, undefined>>;
const NONE: readonly Token[] = [];

/**
 * An ordered set of tokens (a B+ tree): O(log n) insert, delete, first and last. The order reads the
 * token's fields, so a token must be removed before a field its order reads changes, and added back after.
 * Every order ends with the token number, which is unique in a doctor-day, so the order is total.
 *
 * The tree is made on the first add: a doctor-day keeps about 170 of these sets (per slot and rank),
 * most of which stay empty all day, and an empty set then costs its own few bytes only.
 */
export class TokenSet {
  private tree: Tree | undefined;

  constructor(private readonly order: TokenOrder) {}

  add(t: Token): void {
    (this.tree ??= new BTree<Token, undefined>(undefined, this.order)).set(t, undefined);
  }

  delete(t: Token): boolean {
    return this.tree?.delete(t) ?? false;
  }

  get size(): number {
    return this.tree?.size ?? 0;
  }

  first(): Token | undefined {
    return this.tree?.minKey();
  }

  last(): Token | undefined {
    return this.tree?.maxKey();
  }

  /** In order, first to last. */
  values(): IterableIterator<Token> {
    return this.tree?.keys() ?? NONE.values();
  }

  /**
   * How many tokens of the set come before `t`, which must be in it: O(log n). sorted-btree's internal
   * nodes already count the keys under each child (it keeps them for `size`), so this is a descent
   * from the root adding up the children to the left; no second tree is kept for it. It reads the
   * nodes as sorted-btree 2.x builds them (pinned in package.json): a leaf has `keys`; an internal node
   * has `children`, each child's largest key in `keys`, and `size()`. The invariant checker compares
   * every rank with the order rebuilt from scratch, so a change there fails the property tests.
   */
  rank(t: Token): number {
    const order = this.order;
    if (this.tree === undefined) throw new Error(`token ${t.label} is not in the set`);
    let node = (this.tree as unknown as { _root: BNode })._root;
    let before = 0;
    for (;;) {
      const keys = node.keys;
      // The first key not below t (an internal node's keys are its children's largest keys).
      let lo = 0;
      let hi = keys.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (order(keys[mid]!, t) < 0) lo = mid + 1;
        else hi = mid;
      }
      const children = node.children;
      if (children === undefined) {
        if (keys[lo] !== t) throw new Error(`token ${t.label} is not in the set`);
        return before + lo;
      }
      for (let i = 0; i < lo; i++) before += children[i]!.size();
      const child = children[lo];
      if (child === undefined) throw new Error(`token ${t.label} is not in the set`);
      node = child;
    }
  }
}

/** A node of sorted-btree's tree, as far as `rank` reads it. */
interface BNode {
  readonly keys: readonly Token[];
  /** Absent on a leaf. */
  readonly children?: readonly BNode[];
  size(): number;
}

/** Waitlist and serving order (SPEC 2, 5, 7): effective rank, then issuedAt, then number. */
export const byPriority: TokenOrder = (a, b) =>
  a.effectiveRank - b.effectiveRank || a.issuedAt - b.issuedAt || a.number - b.number;

/**
 * Serving order of a slot's checked-in tokens (SPEC 7): a skipped token goes behind every token that
 * was checked in when it was skipped (its `requeue` is the day's count of skips then), then priority.
 */
export const byServing: TokenOrder = (a, b) => a.requeue - b.requeue || byPriority(a, b);

/** Called or completed: the patient's turn has come (or gone), at `calledAt`. */
const served = (t: Token) => t.status === 'CALLED' || t.status === 'COMPLETED';

/**
 * A slot's seats in the order the doctor sees them (SPEC 6's serving order): those already called
 * first, by when they were called, then the rest (ALLOCATED or CHECKED_IN) in serving order. A token's
 * place in it is its position for the estimated time.
 */
export const bySeat: TokenOrder = (a, b) => {
  const sa = served(a);
  if (sa !== served(b)) return sa ? -1 : 1;
  // (A served token always has its calledAt: TokenCalled sets it, and only a skip clears it, back to CHECKED_IN.)
  return sa ? (a.calledAt ?? 0) - (b.calledAt ?? 0) || a.number - b.number : byServing(a, b);
};

/** Booking order: issuedAt, then number. The last of a set is "the last booked". */
export const byIssue: TokenOrder = (a, b) => a.issuedAt - b.issuedAt || a.number - b.number;

/** Aging order: the start of the current wait, then number. */
export const byWaitStart: TokenOrder = (a, b) => (a.waitingSince ?? 0) - (b.waitingSince ?? 0) || a.number - b.number;
