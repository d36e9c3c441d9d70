// A slot's room and taking a slot away (the weekly rota, docs/operations.md): a rota session's room
// travels in SlotCreated; a slot nobody's token names may be removed, and the log replays it.
import { describe, expect, it } from 'vitest';
import { Desk, at } from '../../test/kits/engine/test-kit.ts';

describe('10: a slot carries the room of its rota session', () => {
  it('the room given is in the SlotCreated event and the slot; none given is null', () => {
    const d = new Desk();
    d.ok({ type: 'createSlot', slot: { id: 's9', start: at('09:00'), end: at('10:00'), capacity: 2, room: 'OPD 3' } });
    expect(d.events('SlotCreated')).toEqual([{ type: 'SlotCreated', at: at('08:00'), slot: { id: 's9', start: at('09:00'), end: at('10:00'), capacity: 2, room: 'OPD 3' } }]);
    d.slot('s10', '10:00', '11:00', 2);
    expect(d.day.slotById.get('s9')!.room).toBe('OPD 3');
    expect(d.day.slotById.get('s10')!.room).toBeNull();
    expect(d.replayMatches()).toBe(true);
  });

  it('a room with a control character or over 60 characters is refused and changes nothing', () => {
    const d = new Desk();
    const bad = d.run({ type: 'createSlot', slot: { id: 's9', start: at('09:00'), end: at('10:00'), capacity: 2, room: 'Room\u00003' } });
    expect(bad).toMatchObject({ ok: false, code: 'VALIDATION_FAILED' });
    const long = d.run({ type: 'createSlot', slot: { id: 's9', start: at('09:00'), end: at('10:00'), capacity: 2, room: 'R'.repeat(61) } });
    expect(long).toMatchObject({ ok: false, code: 'VALIDATION_FAILED' });
    expect(d.day.slots).toEqual([]);
    expect(d.run({ type: 'createSlot', slot: { id: 's9', start: at('09:00'), end: at('10:00'), capacity: 2, room: 'R'.repeat(60) } }).ok).toBe(true);
  });
});

describe('10: removing a slot that no token names', () => {
  it('a slot without tokens is removed; its time is free for another slot; the log replays', () => {
    const d = new Desk().slot('s9', '09:00', '10:00', 2).slot('s10', '10:00', '11:00', 2);
    expect(d.ok({ type: 'removeSlot', slotId: 's9' }, '08:30')).toEqual([{ type: 'SlotRemoved', at: at('08:30'), slotId: 's9' }]);
    expect(d.day.slots.map((s) => s.id)).toEqual(['s10']);
    expect(d.day.slotById.has('s9')).toBe(false);
    d.slot('s9b', '09:00', '09:30', 3);
    expect(d.day.slots.map((s) => s.id)).toEqual(['s9b', 's10']);
    expect(d.replayMatches()).toBe(true);
  });

  it('refused while a token is seated there, waits tied to it, or was seated there once; nothing changes', () => {
    const d = new Desk().slot('s9', '09:00', '10:00', 1).slot('s10', '10:00', '11:00', 1);
    d.issue('a', 'WALKIN', { slotId: 's9' });
    d.issue('b', 'WALKIN', { slotId: 's10' });
    d.issue('c', 'WALKIN', { slotId: 's10' }); // waits, tied to s10
    expect(d.where('c')).toBe('WAITLISTED');
    expect(d.run({ type: 'removeSlot', slotId: 's9' })).toMatchObject({ ok: false, code: 'INVALID_TRANSITION', tokenId: 'a' });
    d.ok({ type: 'cancel', tokenId: 'b' }); // c is promoted into s10
    d.ok({ type: 'cancel', tokenId: 'a' }); // cancelled, still names s9
    expect(d.run({ type: 'removeSlot', slotId: 's9' })).toMatchObject({ ok: false, code: 'INVALID_TRANSITION' });
    expect(d.run({ type: 'removeSlot', slotId: 's10' })).toMatchObject({ ok: false, code: 'INVALID_TRANSITION' });
    expect(d.run({ type: 'removeSlot', slotId: 'nope' })).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    expect(d.day.slots.map((s) => s.id)).toEqual(['s9', 's10']);
    expect(d.events('SlotRemoved')).toEqual([]);
  });

  it('refused while a waiting token is tied to it, though none ever sat there', () => {
    const d = new Desk().slot('s9', '09:00', '10:00', 0).slot('s10', '10:00', '11:00', 1);
    d.issue('w', 'WALKIN', { slotId: 's9' });
    expect(d.where('w')).toBe('WAITLISTED');
    expect(d.run({ type: 'removeSlot', slotId: 's9' })).toMatchObject({ ok: false, code: 'INVALID_TRANSITION', tokenId: 'w' });
    expect(d.day.slots.map((s) => s.id)).toEqual(['s9', 's10']);
  });
});
