import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bookedDay, doctor, marker, slotRows, tokenRows } from '../../../test/suites/store/contract-fixtures.ts';
import { storeContract } from '../../../test/suites/store/contract.ts';
import { MIGRATIONS } from '../migrations.ts';
import { openStore } from '../open-store.ts';
import { openSqliteStore } from './sqlite-store.ts';

const dir = mkdtempSync(join(tmpdir(), 'opd-sqlite-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const freshFile = () => join(dir, `run-${++files}`, 'data', 'opd.sqlite');

storeContract('SQLite in memory', () => openStore({ kind: 'sqlite', file: ':memory:' }));
storeContract('SQLite file', () => openStore({ kind: 'sqlite', file: freshFile() }));
storeContract('SQLite file, group commit off', async () => {
  const store = openSqliteStore(freshFile(), { maxGroup: 1 });
  await store.migrate();
  return store;
});

describe('SQLite file', () => {
  it("reads one actor's events of a day through the (actor_id, at) index, not a scan of the log", async () => {
    const file = freshFile();
    const store = await openStore({ kind: 'sqlite', file });
    await store.close();
    const db = new Database(file, { readonly: true });
    try {
      const plan = db
        .prepare(
          `EXPLAIN QUERY PLAN SELECT e.seq, e.doctor_id, e.date, e.payload, e.actor, t.number AS token_number FROM events e LEFT JOIN tokens t ON t.id = e.token_id
           WHERE e.actor_id = ? AND e.at >= ? AND e.at < ? ORDER BY e.seq`,
        )
        .all('acc-1', 0, 1) as { detail: string }[];
      expect(plan.map((r) => r.detail).join('\n')).toMatch(/SEARCH e USING INDEX events_actor_at \(actor_id=\? AND at>\? AND at<\?\)/);
    } finally {
      db.close();
    }
  });

  it('creates its directory, and finds everything again after a reopen', async () => {
    const file = freshFile();
    const f = bookedDay();
    const first = await openStore({ kind: 'sqlite', file });
    const seqs = await first.transaction(async (tx) => {
      await tx.insertDoctor(doctor('doc-1', 'GM'));
      await tx.putIdempotency({ key: 'k', requestHash: 'h', response: '{"ok":true}', createdAt: 'then' });
      return tx.append(f.key, f.events, slotRows(f), tokenRows(f));
    });
    await first.close();
    expect(existsSync(file)).toBe(true);

    const sut = await openStore({ kind: 'sqlite', file });
    expect(await sut.getDoctor('doc-1')).toEqual(doctor('doc-1', 'GM'));
    expect(await sut.dayEvents(f.key, 0)).toEqual(f.events);
    expect((await sut.eventsAfter(0, 100)).map((e) => e.seq)).toEqual(seqs);
    for (const s of slotRows(f)) expect(await sut.getSlot(s.id)).toEqual(s);
    for (const t of tokenRows(f)) expect(await sut.getToken(t.id)).toEqual(t);
    expect(await sut.transaction((tx) => tx.getIdempotency('k'))).toMatchObject({ response: '{"ok":true}' });
    expect(await sut.transaction((tx) => tx.lockDay(f.key))).toBe(f.events.length);
    const [next] = await sut.transaction((tx) => tx.append(f.key, [marker('t', 0)], [], []));
    expect(next).toBeGreaterThan(seqs.at(-1)!);
    await sut.close();
  });

  it('is in WAL mode and records its migrations', async () => {
    const file = freshFile();
    const sut = await openStore({ kind: 'sqlite', file });
    await sut.migrate();
    await sut.close();
    const db = new Database(file, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all()).toEqual(MIGRATIONS.map((m) => m.version));
    db.close();
  });
});

describe('SQLite upgrade to actors on events', () => {
  it('keeps the events of a database made before actors were recorded, as nobody\'s, and records them from then on', async () => {
    const file = freshFile();
    const f = bookedDay();
    // A database of the two earlier schema steps, with a day's events in it.
    const old = await openStore({ kind: 'sqlite', file });
    await old.close();
    const db = new Database(file);
    db.exec('DROP INDEX events_actor_at; ALTER TABLE events DROP COLUMN actor; ALTER TABLE events DROP COLUMN actor_id; DELETE FROM schema_migrations WHERE version = 3');
    db.prepare("INSERT INTO doctors (id, name, department, code, policy, created_at) VALUES ('doc-1', 'Dr doc-1', 'General Medicine', 'GM', '{}', 'then')").run();
    db.prepare("INSERT INTO doctor_days (doctor_id, date, version) VALUES ('doc-1', ?, 1)").run(f.key.date);
    db.prepare("INSERT INTO events (doctor_id, date, position, type, token_id, at, payload) VALUES ('doc-1', ?, 0, ?, NULL, ?, ?)").run(f.key.date, f.events[0]!.type, f.events[0]!.at, JSON.stringify(f.events[0]));
    db.close();

    const sut = await openStore({ kind: 'sqlite', file });
    try {
      const [before] = await sut.eventsAfter(0, 10);
      expect(before).toMatchObject({ seq: 1, actor: null });
      expect(before!.event).toEqual(f.events[0]);
      const kiosk = { kind: 'apiKey' as const, id: 'key-1', name: 'Kiosk', role: 'desk' as const };
      await sut.transaction(async (tx) => {
        await tx.lockDay(f.key);
        tx.appendAtCommit(f.key, [f.events[1]!], [], [], kiosk);
      });
      expect((await sut.eventsAfter(0, 10)).map((e) => e.actor)).toEqual([null, kiosk]);
    } finally {
      await sut.close();
    }
  });
});

describe('SQLite in memory', () => {
  it('keeps its data in a temporary directory that close removes', async () => {
    const before = new Set(readdirSync(tmpdir()).filter((n) => n.startsWith('opd-memory-')));
    const sut = await openStore({ kind: 'sqlite', file: ':memory:' });
    const mine = readdirSync(tmpdir()).filter((n) => n.startsWith('opd-memory-') && !before.has(n));
    expect(mine).toHaveLength(1);
    await sut.close();
    expect(existsSync(join(tmpdir(), mine[0]!))).toBe(false);
  });
});

describe('SQLite group commit', () => {
  it('commits queued transactions together; one that throws is undone alone', async () => {
    const sut = openSqliteStore(freshFile(), { maxGroup: 64 });
    await sut.migrate();
    await sut.transaction((tx) => tx.insertDoctor(doctor('doc-1', 'GM')));
    const key = { doctorId: 'doc-1', date: '2026-01-05' };
    const commitsBefore = sut.commits;
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        sut.transaction(async (tx) => {
          const version = await tx.lockDay(key);
          await tx.append(key, [marker(`w${i}`, version)], [], []);
          await tx.putIdempotency({ key: `k${i}`, requestHash: 'h', response: '{}', createdAt: 'now' });
          if (i % 5 === 2) throw new Error(`work ${i} fails`);
          return version;
        }),
      ),
    );
    expect(sut.commits - commitsBefore).toBeLessThan(5);
    const failed = results.flatMap((r, i) => (r.status === 'rejected' ? [i] : []));
    expect(failed).toEqual([2, 7, 12, 17]);
    const versions = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    expect(versions).toEqual(Array.from({ length: 16 }, (_, i) => i));
    const events = await sut.dayEvents(key, 0);
    expect(events.map((e) => (e as ReturnType<typeof marker>).tokenId)).toEqual(
      Array.from({ length: 20 }, (_, i) => i).filter((i) => i % 5 !== 2).map((i) => `w${i}`),
    );
    const seqs = (await sut.eventsAfter(0, 100)).map((e) => e.seq);
    expect(seqs).toEqual(Array.from({ length: 16 }, (_, i) => seqs[0]! + i));
    expect(await sut.transaction((tx) => tx.getIdempotency('k2'))).toBeNull();
    expect(await sut.transaction((tx) => tx.getIdempotency('k3'))).not.toBeNull();
    await sut.close();
  });

  it('waits for queued transactions before closing', async () => {
    const sut = openSqliteStore(freshFile());
    await sut.migrate();
    const pending = Array.from({ length: 5 }, (_, i) => sut.transaction((tx) => tx.insertDoctor(doctor(`d${i}`, `C${'ABCDE'[i]}`))));
    await sut.close();
    await Promise.all(pending);
    await expect(sut.transaction(async () => 1)).rejects.toThrow(/closed/);
  });
});
