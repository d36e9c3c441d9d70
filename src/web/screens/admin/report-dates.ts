// Dates of the reports screen: YYYY-MM-DD strings, counted in whole calendar days (no time zone: the
// server already gave the hospital's today).

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The date `days` after `date` (before, when negative). */
export function addDays(date: string, days: number): string {
  const m = DATE.exec(date);
  if (!m) return date;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + days));
  return d.toISOString().slice(0, 10);
}

/** `Tue 3 Dec 2026` */
export function longDay(date: string): string {
  const m = DATE.exec(date);
  if (!m) return date;
  return new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' })
    .format(new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))))
    .replace(',', '');
}
