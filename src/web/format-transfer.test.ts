// A transfer (SPEC 7) in a token's history, in words: the new token names the old, the old the new.

import { describe, expect, it } from 'vitest';
import type { FeedEvent } from './api.ts';
import { dayMonth, describeEvent } from './format.ts';

const event = (e: Record<string, unknown>): FeedEvent => ({ seq: 1, doctorId: 'd', date: '2026-03-10', at: '2026-03-10T09:00:00+05:30', ...e }) as FeedEvent;
const say = (e: Record<string, unknown>) => describeEvent(event(e), new Map(), new Map());

describe('a transfer in a token history', () => {
  it('7: the new token says where it came from, the old one where it went; a plain cancel stays a cancel', () => {
    const link = (number: string, date: string) => ({ tokenId: 'x', number, doctorId: 'd2', date });
    expect(say({ type: 'TokenIssued', tokenId: 'n', number: 'RA-012', source: 'PAID', request: { slotId: null, flexible: false }, transferredFrom: link('GM-007', '2026-12-01') })).toBe(
      'Issued RA-012 (Paid), asking for any slot, transferred from GM-007 of 1 Dec',
    );
    expect(say({ type: 'TokenCancelled', tokenId: 'o', reason: 'transferred', transferredTo: link('RA-012', '2026-12-02') })).toBe('Transferred: now RA-012 of 2 Dec (this token is cancelled)');
    expect(say({ type: 'TokenCancelled', tokenId: 'o' })).toBe('Cancelled');
    expect(dayMonth('2026-03-10')).toBe('10 Mar');
  });
});
