import { describe, expect, it } from 'vitest';
import { formatIso, formatOffset, formatRange, formatTime, localDate, localToEpoch, longDate, offsetMinutes } from './local-time.ts';

describe('local time in Asia/Kolkata (UTC+05:30, no daylight saving)', () => {
  it('turns a hospital-local wall time into the right instant', () => {
    expect(localToEpoch('2025-03-10', '09:00', 'Asia/Kolkata')).toBe(Date.UTC(2025, 2, 10, 3, 30));
    expect(new Date(localToEpoch('2025-03-10', '00:15', 'Asia/Kolkata')).toISOString()).toBe('2025-03-09T18:45:00.000Z');
  });

  it('defaults to Asia/Kolkata', () => {
    expect(localToEpoch('2025-03-10', '09:00')).toBe(Date.UTC(2025, 2, 10, 3, 30));
  });

  it('formats an instant back as local wall time, date and ISO with the offset', () => {
    const ms = Date.UTC(2025, 2, 10, 9, 45, 7);
    expect(formatTime(ms, 'Asia/Kolkata')).toBe('15:15');
    expect(localDate(ms, 'Asia/Kolkata')).toBe('2025-03-10');
    expect(formatIso(ms, 'Asia/Kolkata')).toBe('2025-03-10T15:15:07+05:30');
    expect(offsetMinutes(ms, 'Asia/Kolkata')).toBe(330);
    expect(formatOffset(ms, 'Asia/Kolkata')).toBe('+05:30');
  });

  it('crosses midnight: 23:30 UTC is already the next local date', () => {
    const ms = Date.UTC(2025, 2, 9, 19, 0);
    expect(localDate(ms, 'Asia/Kolkata')).toBe('2025-03-10');
    expect(formatTime(ms, 'Asia/Kolkata')).toBe('00:30');
  });

  it('round-trips every quarter hour of a day', () => {
    for (let m = 0; m < 24 * 60; m += 15) {
      const hhmm = `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
      const ms = localToEpoch('2025-03-10', hhmm, 'Asia/Kolkata');
      expect(formatTime(ms, 'Asia/Kolkata')).toBe(hhmm);
      expect(localDate(ms, 'Asia/Kolkata')).toBe('2025-03-10');
    }
  });

  it('names slots and dates the way the desk does', () => {
    const a = localToEpoch('2025-03-10', '09:00');
    expect(formatRange(a, a + 3_600_000)).toBe('09:00–10:00');
    expect(longDate('2025-03-10')).toBe('Monday 10 March 2025');
  });
});

describe('other zones and bad input', () => {
  it('handles a zone west of UTC with a negative offset', () => {
    const ms = localToEpoch('2025-01-15', '09:00', 'America/New_York');
    expect(new Date(ms).toISOString()).toBe('2025-01-15T14:00:00.000Z');
    expect(formatIso(ms, 'America/New_York')).toBe('2025-01-15T09:00:00-05:00');
  });

  it('reads a time that occurs twice (clocks back) as the first one', () => {
    const ms = localToEpoch('2025-11-02', '01:30', 'America/New_York');
    expect(new Date(ms).toISOString()).toBe('2025-11-02T05:30:00.000Z');
  });

  it('reads a time that never occurs (clocks forward) one gap later', () => {
    const ms = localToEpoch('2025-03-09', '02:30', 'America/New_York');
    expect(formatTime(ms, 'America/New_York')).toBe('03:30');
  });

  it('refuses malformed dates, times and unknown zones', () => {
    expect(() => localToEpoch('2025-02-30', '09:00')).toThrow(/no such date/);
    expect(() => localToEpoch('10/03/2025', '09:00')).toThrow(/YYYY-MM-DD/);
    expect(() => localToEpoch('2025-03-10', '9:00')).toThrow(/HH:MM/);
    expect(() => localToEpoch('2025-03-10', '24:00')).toThrow(/HH:MM/);
    expect(() => localToEpoch('2025-03-10', '09:00', 'Mars/Olympus')).toThrow(/unknown time zone/);
  });
});

describe('the quarter-hour offset cache', () => {
  it('agrees with Intl at every instant, across daylight-saving changes and odd offsets', () => {
    const zones = ['Asia/Kolkata', 'Europe/London', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'America/St_Johns'];
    const from = Date.UTC(2024, 0, 1);
    const to = Date.UTC(2027, 11, 31);
    for (const timeZone of zones) {
      const intl = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
      });
      for (let i = 0; i < 3000; i++) {
        // A spread of instants, some exactly on and around quarter hours (where transitions fall).
        const base = from + Math.floor(((to - from) * i) / 3000);
        const ms = i % 3 === 0 ? base - (base % 900_000) - (i % 2) : base;
        const p = Object.fromEntries(intl.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
        const expected = `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}`;
        expect(formatIso(ms, timeZone).slice(0, 19), `${timeZone} at ${new Date(ms).toISOString()}`).toBe(expected);
      }
    }
  });
});
