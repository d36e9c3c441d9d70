// The desk's side of SPEC 4, 6 and 7 on a real store: `arrived`, NO_OPEN_SLOT in the desk's words,
// phones as one E.164 number in any common Indian writing, and the delay in force on the schedule.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../store/open-store.ts';
import type { Store } from '../store/store.ts';
import { deskDate } from './issue-rules.ts';
import { toE164 } from './phone.ts';
import { createTokenDesk } from './token-desk.ts';
import { ServiceError, type TokenDesk } from './types.ts';
import { AS_DESK } from '../../test/kits/service/test-kit.ts';
import { ManualClock } from '../time/clock.ts';

const TZ = 'Asia/Kolkata';
const at = (hhmm: string) => new Date(`2026-03-10T${hhmm}:00+05:30`);
const iso = (hhmm: string) => `2026-03-10T${hhmm}:00+05:30`;

async function refusal(p: Promise<unknown>): Promise<ServiceError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof ServiceError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('SPEC 7 phones: one E.164 number however it is written (region IN)', () => {
  it('+91 98450 11111, 098450-11111, 9845011111, 91-9845011111 and 0091 98450 11111 are one phone', () => {
    for (const written of ['+91 98450 11111', '098450-11111', '9845011111', '91-9845011111', '919845011111', '0091 98450 11111', '+91-98450-11111']) {
      expect(toE164(written, 'IN'), written).toBe('+919845011111');
    }
  });

  it('a landline with its STD code is a phone too; too short or too long is none', () => {
    expect(toE164('080 2222 3333', 'IN')).toBe('+918022223333');
    for (const bad of ['12345', '98450 1111', '98450111112222', '+1 555']) expect(toE164(bad, 'IN'), bad).toBeNull();
  });

  it('the region reads numbers without a country code: a Nepali mobile under NP', () => {
    expect(toE164('9841234567', 'NP')).toBe('+9779841234567');
    expect(toE164('+977 984-1234567', 'IN')).toBe('+9779841234567');
  });

  it('the desk says a date as people do', () => {
    expect(deskDate('2026-12-02')).toBe('2 Dec');
    expect(deskDate('2026-03-10')).toBe('10 Mar');
  });
});

describe('the token desk and SPEC 4, 6, 7', () => {
  let store: Store;
  let desk: TokenDesk;

  beforeEach(async () => {
    store = await openStore({ kind: 'sqlite', file: ':memory:' });
    desk = createTokenDesk({ store, timeZone: TZ, clock: new ManualClock(at('08:00')) });
  });
  afterEach(async () => {
    await desk.close();
    await store.close();
  });

  async function morning(capacity = 2) {
    const doctor = await desk.createDoctor({ name: 'Dr. Rao', department: 'General Medicine' }, AS_DESK);
    const s9 = await desk.createSlot({ doctorId: doctor.id, start: iso('09:00'), end: iso('10:00'), capacity }, AS_DESK);
    return { doctor, s9 };
  }

  it('SPEC 7: the same phone written four ways is one patient: DUPLICATE_TOKEN names the first token', async () => {
    const { doctor } = await morning(10);
    const first = await desk.issueToken({ doctorId: doctor.id, source: 'WALKIN', patient: { name: 'Ravi', phone: '+91 98450 11111' } }, AS_DESK);
    expect(first.patient?.phone).toBe('+919845011111');
    for (const phone of ['098450-11111', '9845011111', '91-9845011111']) {
      const err = await refusal(desk.issueToken({ doctorId: doctor.id, source: 'WALKIN', patient: { name: 'Ravi K', phone } }, AS_DESK));
      expect([err.code, err.details.tokenId], phone).toEqual(['DUPLICATE_TOKEN', first.id]);
    }
    expect((await desk.schedule(doctor.id, '2026-03-10')).slots[0]!.tokens).toHaveLength(1);
  });

  it('SPEC 7: patient ids compare trimmed and case-insensitive', async () => {
    const { doctor } = await morning(10);
    const first = await desk.issueToken({ doctorId: doctor.id, source: 'WALKIN', patient: { name: 'Asha', id: 'MRN-42' } }, AS_DESK);
    const err = await refusal(desk.issueToken({ doctorId: doctor.id, source: 'ONLINE', patient: { name: 'Asha', id: ' mrn-42 ' } }, AS_DESK));
    expect([err.code, err.details.tokenId]).toEqual(['DUPLICATE_TOKEN', first.id]);
  });

  it('SPEC 7: a phone that is not a valid number is VALIDATION_FAILED at its field, and nothing changes', async () => {
    const { doctor } = await morning();
    const seq = await store.latestSeq();
    const err = await refusal(desk.issueToken({ doctorId: doctor.id, source: 'WALKIN', patient: { name: 'X', phone: '12345' } }, AS_DESK));
    expect(err.code).toBe('VALIDATION_FAILED');
    expect(err.message).toBe('The phone number 12345 is not a valid number: check the digits.');
    expect(err.details).toEqual({ errors: [{ in: 'body', path: '/patient/phone', message: 'is not a valid phone number' }] });
    expect(await store.latestSeq()).toBe(seq);
  });

  it('SPEC 4 arrived: seated at once → CHECKED_IN; waitlisted → checked in when promoted', async () => {
    const { doctor } = await morning(1);
    const e = await desk.issueToken({ doctorId: doctor.id, source: 'EMERGENCY', patient: { name: 'E' }, arrived: true }, AS_DESK);
    expect(e.status).toBe('CHECKED_IN');
    const w = await desk.issueToken({ doctorId: doctor.id, source: 'WALKIN', patient: { name: 'W' }, arrived: true }, AS_DESK);
    expect(w.status).toBe('WAITLISTED');
    await desk.act(e.id, 'cancel', AS_DESK);
    expect((await desk.getToken(w.id)).status).toBe('CHECKED_IN');
    const history = await desk.tokenHistory(w.id);
    expect(history.map((x) => x.type)).toEqual(['TokenIssued', 'TokenWaitlisted', 'TokenAllocated', 'TokenCheckedIn']);
    expect(history[0]).toMatchObject({ arrived: true });
    expect((await desk.tokenHistory(e.id))[0]).toMatchObject({ arrived: true });
  });

  it('SPEC 4 NO_OPEN_SLOT: no slot that day, every slot ended, or a day gone: 409 in the desk words, and nothing changes', async () => {
    const { doctor } = await morning();
    const none = await refusal(desk.issueToken({ doctorId: doctor.id, source: 'WALKIN', patient: { name: 'A' }, date: '2026-03-11' }, AS_DESK));
    expect([none.code, none.message]).toEqual(['NO_OPEN_SLOT', 'Dr. Rao has no OPD on 11 Mar.']);
    await desk.setClock(at('10:00'));
    const seq = await store.latestSeq();
    const ended = await refusal(desk.issueToken({ doctorId: doctor.id, source: 'WALKIN', patient: { name: 'A' } }, AS_DESK));
    expect([ended.code, ended.message]).toEqual(['NO_OPEN_SLOT', 'Dr. Rao has no OPD left on 10 Mar.']);
    const gone = await refusal(desk.issueToken({ doctorId: doctor.id, source: 'WALKIN', patient: { name: 'A' }, date: '2026-03-09' }, AS_DESK));
    expect([gone.code, gone.message]).toEqual(['NO_OPEN_SLOT', 'Dr. Rao has no OPD left on 9 Mar.']);
    expect(await store.latestSeq()).toBe(seq);
  });

  it('SPEC 6: the schedule shows the delay in force and estimates after the lost window', async () => {
    const { doctor } = await morning(4);
    for (const name of ['A', 'B']) await desk.issueToken({ doctorId: doctor.id, source: 'WALKIN', patient: { name } }, AS_DESK);
    expect((await desk.schedule(doctor.id)).delay).toBeNull();
    await desk.setClock(at('09:00'));
    const day = await desk.delay(doctor.id, 40, undefined, AS_DESK);
    const late = { mode: 'shrink', minutes: 40, from: iso('09:00'), until: iso('09:40'), reportedAt: iso('09:00') };
    expect(day.delay).toEqual(late);
    // 4 − ceil(4 × 40 / 60) = 1 seat left: A stays, B moves to the waitlist
    expect(day.slots[0]!.tokens.map((t) => [t.patient?.name, t.estimatedAt])).toEqual([['A', iso('09:40')]]);
    await desk.setClock(at('09:39'));
    expect((await desk.schedule(doctor.id)).delay).toEqual(late);
    await desk.setClock(at('09:40'));
    expect((await desk.schedule(doctor.id)).delay).toBeNull();
  });
});
