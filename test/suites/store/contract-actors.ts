// The store contract (contract.ts), continued: who caused each event, kept beside it, and one
// actor's events of a time range.

import { beforeEach, describe, expect, it } from 'vitest';
import { at, bookedDay, DATE, doctor, marker, seed, slotRows, tokenRows } from './contract-fixtures.ts';
import type { EventActor, Store } from '../../../src/store/store.ts';

export function actorsContract(store: () => Store): void {
  let sut: Store;
  beforeEach(() => {
    sut = store();
  });

  describe('who caused each event', () => {
    const anita: EventActor = { kind: 'account', id: 'acc-anita', name: "Anita 'A' \\ ಅನಿತಾ", role: 'desk' };
    const kiosk: EventActor = { kind: 'apiKey', id: 'key-kiosk', name: 'Lobby kiosk', role: 'desk' };

    it("stores each append's actor beside its events (its four fields only), null when none, and reads it back", async () => {
      const f = bookedDay();
      await sut.transaction((tx) => tx.insertDoctor(doctor('doc-1', 'GM')));
      // An Actor carries its doctor scope too: the log never keeps it.
      const withScope = { ...anita, doctorIds: ['doc-1'] } as EventActor;
      await sut.transaction(async (tx) => {
        await tx.lockDay(f.key);
        await tx.append(f.key, f.events.slice(0, 2), [], []);
        tx.appendAtCommit(f.key, f.events.slice(2, 4), [], [], withScope);
        tx.appendAtCommit(f.key, f.events.slice(4), slotRows(f), tokenRows(f), kiosk);
      });
      const all = await sut.eventsAfter(0, 100);
      expect(all.map((e) => e.actor)).toEqual([null, null, anita, anita, ...f.events.slice(4).map(() => kiosk)]);
      expect(all[2]!.actor).not.toHaveProperty('doctorIds');
      // A token's history carries them too: t3 (the walk-in) was issued in the kiosk's part.
      const history = await sut.tokenEvents(`doc-1-${DATE}-t3`);
      expect(history.length).toBeGreaterThan(0);
      for (const e of history) expect(e.actor).toEqual(kiosk);
      expect(await sut.dayEvents(f.key, 0)).toEqual(f.events);
    });

    it("lists one actor's events whose time is in [from, to), in order, with the number of the token each names", async () => {
      const f = bookedDay();
      await seed(sut, f);
      const t1 = `doc-1-${DATE}-t1`;
      const nine = at('09:00');
      // marker(id, n) happens at 09:00 + n ms.
      await sut.transaction(async (tx) => {
        await tx.lockDay(f.key);
        tx.appendAtCommit(f.key, [marker(t1, 10)], [], [], anita);
        tx.appendAtCommit(f.key, [marker(t1, 15)], [], [], kiosk);
        tx.appendAtCommit(f.key, [marker('no-such-token', 20), marker(t1, 30)], [], [], anita);
      });
      const mine = await sut.actorEvents('acc-anita', nine, nine + 1000);
      expect(mine.map((e) => [e.event.at - nine, e.tokenNumber, e.doctorId, e.date])).toEqual([
        [10, 'GM-001', 'doc-1', DATE],
        [20, null, 'doc-1', DATE],
        [30, 'GM-001', 'doc-1', DATE],
      ]);
      expect(mine.map((e) => e.actor)).toEqual([anita, anita, anita]);
      expect(mine.map((e) => e.seq)).toEqual([...mine.map((e) => e.seq)].sort((x, y) => x - y));
      // The range includes its start and excludes its end.
      expect((await sut.actorEvents('acc-anita', nine + 10, nine + 20)).map((e) => e.event.at - nine)).toEqual([10]);
      expect((await sut.actorEvents('acc-anita', nine + 11, nine + 30)).map((e) => e.event.at - nine)).toEqual([20]);
      expect((await sut.actorEvents('key-kiosk', nine, nine + 1000)).map((e) => e.event.at - nine)).toEqual([15]);
      // Events written without an actor are nobody's.
      expect(await sut.actorEvents('acc-anita', 0, nine)).toEqual([]);
      expect(await sut.actorEvents('nobody', 0, Number.MAX_SAFE_INTEGER)).toEqual([]);
    });
  });

}
