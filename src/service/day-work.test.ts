// The desk's remembered facts (which doctor-day a slot or token belongs to) are a bounded cache:
// past MAX_FACTS they are forgotten all at once and read again as needed.

import { describe, expect, it } from 'vitest';
import { openStore } from '../store/open-store.ts';
import { MAX_FACTS, rememberFact } from './day-work.ts';
import { createTokenDesk } from './token-desk.ts';
import { ServiceError } from './types.ts';
import { AS_DESK } from '../../test/kits/service/test-kit.ts';
import { ManualClock } from '../time/clock.ts';

describe('remembered facts', () => {
  it('are kept up to 200,000; the next one forgets them all and is the only one kept', () => {
    expect(MAX_FACTS).toBe(200_000);
    const facts = new Map<string, number>();
    for (let i = 0; i < 199_999; i++) rememberFact(facts, `slot-${i}`, i);
    rememberFact(facts, 'slot-199999', 199_999);
    expect([facts.size, facts.get('slot-0')]).toEqual([200_000, 0]);
    rememberFact(facts, 'token-x', 7);
    expect([...facts]).toEqual([['token-x', 7]]);
  });
});

describe('an engine refusal as the desk reports it', () => {
  it('names the token it is about (DUPLICATE_TOKEN), and carries no tokenId at all when there is none (QUEUE_EMPTY)', async () => {
    const store = await openStore({ kind: 'sqlite', file: ':memory:' });
    const desk = createTokenDesk({ store, timeZone: 'Asia/Kolkata', clock: new ManualClock(new Date('2026-03-10T08:00:00+05:30')) });
    try {
      const doctor = await desk.createDoctor({ name: 'Dr. Meera Iyer', department: 'General Medicine' }, AS_DESK);
      await desk.createSlot({ doctorId: doctor.id, start: '2026-03-10T09:00:00+05:30', end: '2026-03-10T10:00:00+05:30', capacity: 2 }, AS_DESK);
      const first = await desk.issueToken({ doctorId: doctor.id, source: 'WALKIN', patient: { name: 'A', id: 'P1' } }, AS_DESK);
      const refusals = await Promise.allSettled([
        desk.issueToken({ doctorId: doctor.id, source: 'WALKIN', patient: { name: 'A', id: 'P1' } }, AS_DESK),
        desk.callNext(doctor.id, '2026-03-10', AS_DESK),
      ]);
      const errors = refusals.map((r) => (r.status === 'rejected' && r.reason instanceof ServiceError ? [r.reason.code, r.reason.details] : r));
      expect(errors).toStrictEqual([
        ['DUPLICATE_TOKEN', { tokenId: first.id }],
        ['QUEUE_EMPTY', {}],
      ]);
    } finally {
      await desk.close();
      await store.close();
    }
  });
});
