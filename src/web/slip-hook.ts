// The seam for printing a token's slip: the slip's own module (another piece of work) registers its
// printer here once, and the desk's `p` shortcut prints the last token this page issued. Until a
// printer is registered the desk says "Slip printing is not set up" instead of doing nothing.

import type { IssuedToken, Schedule } from './api.ts';

/** Prints one token's slip; `schedule` is its doctor-day as the desk read it after issuing. */
export type SlipPrinter = (token: IssuedToken, schedule: Schedule) => void;

let printer: SlipPrinter | null = null;
let last: { token: IssuedToken; schedule: Schedule } | null = null;

/** Called once by the slip module; null takes the printer away (tests). */
export function registerSlipPrinter(next: SlipPrinter | null): void {
  printer = next;
}

/** The desk remembers the last token it issued, for `p`. */
export function rememberIssued(token: IssuedToken, schedule: Schedule): void {
  last = { token, schedule };
}

/** Prints the last issued token's slip; what happened, for the desk to say. */
export function printLastSlip(): 'printed' | 'not-set-up' | 'nothing-issued' {
  if (printer === null) return 'not-set-up';
  if (last === null) return 'nothing-issued';
  printer(last.token, last.schedule);
  return 'printed';
}
