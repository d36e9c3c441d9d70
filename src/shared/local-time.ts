// Hospital-local wall time ⇄ epoch milliseconds. The engine only knows epoch ms; people and the
// spec speak of "09:00 on 10 March in Asia/Kolkata". Conversions go through Intl (the time-zone data
// that ships with Node), so no offset is ever hard-coded and zones with daylight saving work too.

export const DEFAULT_TIME_ZONE = 'Asia/Kolkata';

const MINUTE = 60_000;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_RE = /^(\d{2}):(\d{2})$/;

// Building a DateTimeFormat is far slower than using one, and the simulator formats a lot of times.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Throws a RangeError naming the zone when Intl does not know it. */
export function assertTimeZone(timeZone: string): void {
  try {
    formatter(timeZone);
  } catch {
    throw new RangeError(`unknown time zone "${timeZone}" (use an IANA name such as ${DEFAULT_TIME_ZONE})`);
  }
}

interface WallParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function intlWallParts(ms: number, timeZone: string): WallParts {
  const out: WallParts = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const p of formatter(timeZone).formatToParts(new Date(ms))) {
    if (p.type in out) out[p.type as keyof WallParts] = Number(p.value);
  }
  return out;
}

// Zone offsets change only at transitions, and modern transitions fall on quarter hours of UTC (all
// offsets in use are whole quarter hours), so one Intl lookup per zone and quarter hour is enough:
// the service formats two or three instants per token it answers with.
const QUARTER = 15 * MINUTE;
const offsets = new Map<string, number>();

/** Minutes east of UTC in `timeZone` at the instant `ms` (Asia/Kolkata: 330). */
export function offsetMinutes(ms: number, timeZone: string): number {
  const bucket = Math.floor(ms / QUARTER) * QUARTER;
  const key = `${timeZone}|${bucket}`;
  let off = offsets.get(key);
  if (off === undefined) {
    const w = intlWallParts(bucket, timeZone);
    off = Math.round((Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - bucket) / MINUTE);
    if (offsets.size >= 50_000) offsets.clear();
    offsets.set(key, off);
  }
  return off;
}

function wallParts(ms: number, timeZone: string): WallParts {
  const d = new Date(ms + offsetMinutes(ms, timeZone) * MINUTE);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
  };
}

/**
 * The instant at which the wall clock in `timeZone` reads `time` on `date`. A wall time that occurs
 * twice (clocks going back) gives the first; one that never occurs (clocks going forward) is read one gap
 * later (02:30 → 03:30), as Temporal's "compatible" does: what a desk would expect, never an error.
 */
export function localToEpoch(date: string, time: string, timeZone: string = DEFAULT_TIME_ZONE): number {
  const d = DATE_RE.exec(date);
  if (!d) throw new RangeError(`date must be YYYY-MM-DD, got "${date}"`);
  const t = TIME_RE.exec(time);
  if (!t) throw new RangeError(`time must be HH:MM, got "${time}"`);
  const [y, mo, da, h, mi] = [Number(d[1]), Number(d[2]), Number(d[3]), Number(t[1]), Number(t[2])];
  if (h > 23 || mi > 59) throw new RangeError(`time must be HH:MM from 00:00 to 23:59, got "${time}"`);
  const wall = Date.UTC(y, mo - 1, da, h, mi);
  const check = new Date(wall);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== da) {
    throw new RangeError(`no such date: ${date}`);
  }
  assertTimeZone(timeZone);
  // Two rounds settle it: the offset at the first guess may differ from the one at the answer only
  // near a daylight-saving change.
  const first = wall - offsetMinutes(wall, timeZone) * MINUTE;
  const second = wall - offsetMinutes(first, timeZone) * MINUTE;
  if (second === first) return first;
  const candidates = [first, second].filter((ms) => formatTime(ms, timeZone) === time && localDate(ms, timeZone) === date);
  return candidates.length > 0 ? Math.min(...candidates) : Math.max(first, second);
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Hospital-local date of an instant, YYYY-MM-DD. */
export function localDate(ms: number, timeZone: string = DEFAULT_TIME_ZONE): string {
  const w = wallParts(ms, timeZone);
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}`;
}

/** Hospital-local wall time of an instant, HH:MM. */
export function formatTime(ms: number, timeZone: string = DEFAULT_TIME_ZONE): string {
  const w = wallParts(ms, timeZone);
  return `${pad(w.hour)}:${pad(w.minute)}`;
}

/** `+05:30`-style offset of the zone at an instant. */
export function formatOffset(ms: number, timeZone: string = DEFAULT_TIME_ZONE): string {
  const off = offsetMinutes(ms, timeZone);
  const sign = off < 0 ? '-' : '+';
  const abs = Math.abs(off);
  return `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** ISO 8601 with the hospital's offset, e.g. `2025-03-10T09:15:00+05:30` (SPEC 1: instants with an offset). */
export function formatIso(ms: number, timeZone: string = DEFAULT_TIME_ZONE): string {
  const w = wallParts(ms, timeZone);
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}${formatOffset(ms, timeZone)}`;
}

/** `09:00–10:00`: how the desk names a slot. */
export function formatRange(start: number, end: number, timeZone: string = DEFAULT_TIME_ZONE): string {
  return `${formatTime(start, timeZone)}–${formatTime(end, timeZone)}`;
}

/** `Monday 10 March 2025` for headings; computed from the date alone, so it never needs a zone. */
export function longDate(date: string): string {
  const d = DATE_RE.exec(date);
  if (!d) throw new RangeError(`date must be YYYY-MM-DD, got "${date}"`);
  const at = new Date(Date.UTC(Number(d[1]), Number(d[2]) - 1, Number(d[3])));
  return new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' })
    .format(at)
    .replace(',', '');
}

/** The instants of a hospital-local date: [its first, the next date's first) in epoch ms. */
export function localDayRange(date: string, timeZone: string = DEFAULT_TIME_ZONE): [number, number] {
  const from = localToEpoch(date, '00:00', timeZone);
  const d = DATE_RE.exec(date)!;
  const next = new Date(Date.UTC(Number(d[1]), Number(d[2]) - 1, Number(d[3]) + 1));
  const nextDate = `${pad(next.getUTCFullYear(), 4)}-${pad(next.getUTCMonth() + 1)}-${pad(next.getUTCDate())}`;
  return [from, localToEpoch(nextDate, '00:00', timeZone)];
}
