// The embedded store flushes its WAL file off the main thread after each COMMIT (write-queue.ts):
// the flush is of the WAL itself, and a failed flush fails the bookings it was to make durable, every
// later change too, and a restart finds the file sound.

import { fdatasync, fstatSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTokenDesk } from '../../service/token-desk.ts';
import { AS_DESK } from '../../service/test-kit.ts';
import { ManualClock } from '../../time/clock.ts';
import { doctor } from '../contract-fixtures.ts';
import { StoreUnavailableError } from '../errors.ts';
import { openSqliteStore } from './sqlite-store.ts';

const DATE = '2026-03-10';
const dir = mkdtempSync(join(tmpdir(), 'opd-sqlite-flush-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const freshFile = () => join(dir, `run-${++files}`, 'opd.sqlite');
const realSync = (fd: number) => new Promise<void>((resolve, reject) => fdatasync(fd, (e) => (e ? reject(e) : resolve())));
const deskOn = (store: ReturnType<typeof openSqliteStore>) =>
  createTokenDesk({ store, timeZone: 'Asia/Kolkata', clock: new ManualClock(new Date(`${DATE}T08:00:00+05:30`)) });

describe('SQLite file: the flush after COMMIT', () => {
  it('flushes the WAL file, once per group, before the transaction is answered', async () => {
    const file = freshFile();
    const flushed: { ino: number; at: number }[] = [];
    const store = openSqliteStore(file, {
      syncWal: async (fd) => {
        await realSync(fd);
        flushed.push({ ino: fstatSync(fd).ino, at: performance.now() });
      },
    });
    await store.migrate();
    const before = flushed.length;
    await Promise.all(
      ['doc-1', 'doc-2', 'doc-3'].map((id, i) =>
        store.transaction(async (tx) => {
          await tx.insertDoctor(doctor(id, `D${i}`));
        }),
      ),
    );
    const committedAt = performance.now();
    expect(flushed.length - before).toBe(1);
    expect(flushed.at(-1)!.ino).toBe(statSync(`${file}-wal`).ino);
    expect(flushed.at(-1)!.at).toBeLessThanOrEqual(committedAt);
    await store.close();
  });

  it('fails the bookings of a failed flush and every later change; a restart finds every answered booking', async () => {
    const file = freshFile();
    let failing = false;
    const store = openSqliteStore(file, {
      syncWal: async (fd) => {
        if (failing) throw Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' });
        await realSync(fd);
      },
    });
    await store.migrate();
    const desk = deskOn(store);
    const created = await desk.createDoctor({ name: 'Dr Flush', department: 'General Medicine' }, AS_DESK);
    await desk.createSlot({ doctorId: created.id, start: `${DATE}T10:00:00+05:30`, end: `${DATE}T11:00:00+05:30`, capacity: 5 }, AS_DESK);
    const answered = await desk.issueToken({ doctorId: created.id, source: 'WALKIN', patient: { name: 'Answered' }, date: DATE }, AS_DESK);

    failing = true;
    const inDoubt = desk.issueToken({ doctorId: created.id, source: 'WALKIN', patient: { name: 'In doubt' }, date: DATE }, AS_DESK);
    await expect(inDoubt).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(inDoubt).rejects.toMatchObject({ outcome: 'unknown' });
    failing = false; // the disk is back: the store still refuses, it cannot know what the failed flush kept
    const later = desk.issueToken({ doctorId: created.id, source: 'WALKIN', patient: { name: 'Later' }, date: DATE }, AS_DESK);
    await expect(later).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(later).rejects.toMatchObject({ outcome: 'not-committed' });
    await desk.close();
    await store.close();

    // The restart: SQLite recovers the file; the answered booking is there, "Later" never was, and
    // booking goes on with the next number after whatever the log holds.
    const again = openSqliteStore(file);
    await again.migrate();
    const next = deskOn(again);
    const names = (await next.schedule(created.id, DATE)).slots[0]!.tokens.map((t) => t.patient?.name);
    expect(names).toContain('Answered');
    expect(names).not.toContain('Later');
    const more = await next.issueToken({ doctorId: created.id, source: 'WALKIN', patient: { name: 'After restart' }, date: DATE }, AS_DESK);
    expect(more.number).toBe(`${created.code}-${String(names.length + 1).padStart(3, '0')}`);
    expect(answered.number).toBe(`${created.code}-001`);
    await next.close();
    await again.close();
  });
});
