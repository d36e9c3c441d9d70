import { describe, expect, it } from 'vitest';
import type { Board } from '../api.ts';
import { matchCalls, servingNow } from './calls.ts';

const token = (id: string, number: string, status: 'CALLED' | 'CHECKED_IN' = 'CALLED') => ({ id, number, status, slotId: 's1', estimatedAt: null });

function boardOf(serving: Record<string, ReturnType<typeof token>[]>): Board {
  return {
    now: '2026-03-10T09:05:00+05:30',
    doctors: Object.entries(serving).map(([code, tokens]) => ({
      doctor: { id: `doc-${code}`, name: `Dr ${code}`, department: 'General Medicine', code, room: code === 'GM' ? '3' : null },
      date: '2026-03-10',
      delay: null,
      currentSlot: null,
      serving: tokens,
      next: [token('t-next', `${code}-009`, 'CHECKED_IN')],
      moreNext: 0,
      waitlist: [],
      moreWaitlist: 0,
    })),
  } as Board;
}

describe('the calls the board announces', () => {
  it('11: a call heard on the feed is announced once the board shows its token served, in feed order, with the room', () => {
    const board = boardOf({ GM: [token('t6', 'GM-006')], PD: [token('t2', 'PD-002')] });
    const { found, left } = matchCalls(
      [
        { tokenId: 't2', seq: 41, misses: 0 },
        { tokenId: 't6', seq: 40, misses: 0 },
      ],
      board,
    );
    expect(found).toEqual([
      { key: 't6@40', tokenId: 't6', number: 'GM-006', room: '3', doctorName: 'Dr GM' },
      { key: 't2@41', tokenId: 't2', number: 'PD-002', room: null, doctorName: 'Dr PD' },
    ]);
    expect(left).toEqual([]);
  });

  it('11: a call not shown yet waits for the next reads, and is forgotten after three', () => {
    const board = boardOf({ GM: [] });
    let pending = [{ tokenId: 't7', seq: 50, misses: 0 }];
    for (const misses of [1, 2]) {
      const { found, left } = matchCalls(pending, board);
      expect(found).toEqual([]);
      expect(left).toEqual([{ tokenId: 't7', seq: 50, misses }]);
      pending = left;
    }
    expect(matchCalls(pending, board)).toEqual({ found: [], left: [] });
    // a token waiting in the queue (not called) is not announced
    expect(matchCalls([{ tokenId: 't-next', seq: 51, misses: 0 }], board).found).toEqual([]);
  });

  it('before any call, the panel shows who is with each doctor', () => {
    expect(servingNow(boardOf({ GM: [token('t6', 'GM-006')], PD: [] })).map((c) => [c.number, c.room])).toEqual([['GM-006', '3']]);
  });
});
