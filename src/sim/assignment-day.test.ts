import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, type DoctorDay, type DoctorDayEvent } from '../engine/index.ts';
import { assignmentDay } from './assignment-day.ts';
import { formatTime } from '../time/local-time.ts';
import { Narrator } from './narrate.ts';
import { runDay, type CommandRecord } from './runner.ts';

/** Every event of the day with its doctor code and local time, in the order they happened. */
function playDay() {
  const plan = assignmentDay();
  const records: { code: string; record: CommandRecord }[] = [];
  const narrator = new Narrator(plan);
  const run = runDay(plan, {
    policy: DEFAULT_POLICY,
    observers: [{ onCommand: (record) => records.push({ code: plan.doctors[record.doctor]!.doctor.code, record }) }, narrator],
  });
  const events: { code: string; time: string; e: DoctorDayEvent }[] = [];
  for (const { code, record } of records) for (const e of record.outcome.events) events.push({ code, time: formatTime(e.at), e });
  const day = (code: string): DoctorDay => run.days[plan.doctors.findIndex((d) => d.doctor.code === code)]!;
  const label = (code: string, tokenId: string) => day(code).tokens.get(tokenId)!.label;
  const said = (code: string, time: string) => narrator.entries.filter((x) => x.doctor === code && x.time === time).map((x) => x.text);
  return { plan, run, records, events, day, label, said };
}

describe('the assignment day', () => {
  const { run, records, events, day, label, said } = playDay();

  it('09:00: online tokens fill the 09:00 slots', () => {
    for (const code of ['GM', 'OR', 'PD']) {
      const seated = events.filter((x) => x.code === code && x.time === '09:00' && x.e.type === 'TokenAllocated' && x.e.slotId === `${code}-s1`);
      expect(seated).toHaveLength(2);
      expect(day(code).slotById.get(`${code}-s1`)!.capacity).toBe(2);
    }
  });

  it('09:10: more online tokens are waitlisted, tied to 09:00', () => {
    const waitlisted = events.filter((x) => x.time === '09:10' && x.e.type === 'TokenWaitlisted');
    expect(waitlisted.map((x) => `${x.code}:${label(x.code, (x.e as { tokenId: string }).tokenId)}`)).toEqual(['GM:GM-003', 'GM:GM-004', 'PD:PD-003']);
    for (const x of waitlisted) expect((x.e as Extract<DoctorDayEvent, { type: 'TokenWaitlisted' }>).tie).toEqual({ slotId: `${x.code}-s1`, flexible: false });
  });

  it('09:15: the paid token GM-005 bumps GM-002 to 10:00–11:00', () => {
    const bump = events.find((x) => x.time === '09:15' && x.e.type === 'TokenBumped');
    expect(bump?.code).toBe('GM');
    const e = bump!.e as Extract<DoctorDayEvent, { type: 'TokenBumped' }>;
    expect([label('GM', e.tokenId), label('GM', e.byTokenId), e.fromSlotId, e.toSlotId]).toEqual(['GM-002', 'GM-005', 'GM-s1', 'GM-s2']);
    expect(said('GM', '09:15')).toContain('GM-005 (paid) took a seat in 09:00–10:00 by bumping GM-002 (online booking), who moved to 10:00–11:00');
    expect(day('GM').tokens.get('GM-t2')!.bumps).toBe(1);
  });

  it('09:25: the emergency OR-004 takes the overflow seat at Orthopedics', () => {
    const overflow = events.filter((x) => x.e.type === 'TokenAllocated' && x.e.reason === 'overflow');
    expect(overflow.map((x) => `${x.time} ${x.code}`)).toEqual(['09:25 OR']);
    const e = overflow[0]!.e as Extract<DoctorDayEvent, { type: 'TokenAllocated' }>;
    expect(label('OR', e.tokenId)).toBe('OR-004');
    expect(day('OR').tokens.get(e.tokenId)!.source).toBe('EMERGENCY');
    expect(said('OR', '09:25')).toContain('OR-004 (emergency) took the emergency overflow seat in 09:00–10:00 (3/2)');
  });

  it('09:31: the doctor calls the emergency ahead of OR-003, who checked in earlier', () => {
    expect(said('OR', '09:31')).toContain('Dr. Arjun Menon called OR-004 (emergency) of 09:00–10:00');
  });

  it('09:40: GM-005 cancels and the best waiting token, GM-003, is promoted into 09:00', () => {
    const at = events.filter((x) => x.code === 'GM' && x.time === '09:40').map((x) => x.e);
    expect(at.map((e) => e.type)).toEqual(['TokenCancelled', 'TokenAllocated']);
    const promoted = at[1] as Extract<DoctorDayEvent, { type: 'TokenAllocated' }>;
    expect([label('GM', promoted.tokenId), promoted.slotId, promoted.reason, promoted.cause, promoted.causeTokenId]).toEqual([
      'GM-003',
      'GM-s1',
      'promoted',
      'cancelled',
      'GM-t5',
    ]);
    expect(said('GM', '09:40')).toEqual([
      'GM-005 (paid) cancelled, freeing a seat in 09:00–10:00',
      'GM-003 (online booking) promoted from the waitlist into 09:00–10:00 (seat freed when GM-005 cancelled)',
    ]);
  });

  it('09:50: PD-002 is a no-show and the waitlist moves: PD-003 is promoted', () => {
    const at = events.filter((x) => x.code === 'PD' && x.time === '09:50').map((x) => x.e);
    expect(at.map((e) => e.type)).toEqual(['TokenNoShow', 'TokenAllocated']);
    const promoted = at[1] as Extract<DoctorDayEvent, { type: 'TokenAllocated' }>;
    expect([label('PD', promoted.tokenId), promoted.cause, label('PD', promoted.causeTokenId!)]).toEqual(['PD-003', 'no-show', 'PD-002']);
    expect(said('PD', '09:50')).toContain("PD-003 (online booking) promoted from the waitlist into 09:00–10:00 (seat freed by PD-002's no-show)");
  });

  it('10:00: GM-004, waiting for 09:00 only, expires when that slot ends', () => {
    const expired = events.filter((x) => x.e.type === 'TokenExpired');
    expect(expired.map((x) => `${x.time} ${label(x.code, (x.e as { tokenId: string }).tokenId)}`)).toEqual(['10:00 GM-004']);
  });

  it('every scripted command is accepted and every invariant holds', () => {
    expect(records.filter((r) => !r.record.outcome.ok)).toEqual([]);
    expect(run.invariants.checks).toBe(run.commands);
    expect(run.invariants.violations).toBe(0);
  });

  it('ends with everyone seen except the cancelled, the no-show and the expired', () => {
    const statuses = (code: string) => [...day(code).tokens.values()].map((t) => `${t.label} ${t.status}`);
    expect(statuses('GM')).toEqual(['GM-001 COMPLETED', 'GM-002 COMPLETED', 'GM-003 COMPLETED', 'GM-004 EXPIRED', 'GM-005 CANCELLED', 'GM-006 COMPLETED']);
    expect(statuses('OR')).toEqual(['OR-001 COMPLETED', 'OR-002 COMPLETED', 'OR-003 COMPLETED', 'OR-004 COMPLETED']);
    expect(statuses('PD')).toEqual(['PD-001 COMPLETED', 'PD-002 NO_SHOW', 'PD-003 COMPLETED', 'PD-004 COMPLETED', 'PD-005 COMPLETED']);
  });
});
