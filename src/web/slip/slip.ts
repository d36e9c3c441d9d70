// The slip a patient takes away from the desk (SPEC 11): the number very large, the doctor, department
// and room, the slot, the expected time, the place in the queue, when it was issued, a QR code of the
// patient's own page, and one line in Hindi and English. Printed with the browser's print dialog and
// print CSS only (slip.css): the page prints only the slip, on the paper the admin chose (an 80 mm
// thermal roll, A6 or A5).
//
//   printSlip(token)   the slip of any token (a row's Print button);
//   printLastSlip()    the slip of the last token issued at this desk (the Print key, and the button
//                      under the issue form); false when none was issued since the page opened.

import QRCode from 'qrcode';
import type { z } from 'zod';
import type * as P from '../../api/patient-schemas.ts';
import { SLIP_LINE } from './messages.ts';
import './slip.css';

export type SlipData = z.output<typeof P.Slip>;
export type SlipLayout = SlipData['layout'];

const SLIP_ID = 'slip-print';
const PAGE_STYLE_ID = 'slip-page-size';

/** The @page of each layout: the thermal roll is 80 mm wide and as long as the slip. */
const PAGE_SIZE: Record<SlipLayout, string> = {
  'roll-80mm': '80mm auto',
  a6: 'A6 portrait',
  a5: 'A5 portrait',
};

// ------------------------------------------------------------------ the last token issued here

let lastIssued: { id: string; number: string } | null = null;
const listeners = new Set<() => void>();

/** The issue form tells the slip module each token it issued. */
export function rememberIssued(token: { id: string; number: string }): void {
  lastIssued = { id: token.id, number: token.number };
  for (const l of listeners) l();
}

export function lastIssuedToken(): { id: string; number: string } | null {
  return lastIssued;
}

export function onLastIssued(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

// ------------------------------------------------------------------ reading and drawing

export async function fetchSlip(tokenId: string): Promise<SlipData> {
  const res = await fetch(`/api/tokens/${encodeURIComponent(tokenId)}/slip`, { headers: { accept: 'application/json' }, credentials: 'same-origin' });
  if (!res.ok) {
    const problem = (await res.json().catch(() => null)) as { detail?: string } | null;
    throw new Error(problem?.detail ?? `The slip could not be read (the server answered ${res.status}).`);
  }
  return (await res.json()) as SlipData;
}

const time = (iso: string) => iso.slice(11, 16);
const dateWords = (date: string) =>
  new Intl.DateTimeFormat('en-IN', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${date}T00:00:00Z`));

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

function row(list: HTMLElement, label: string, value: string): void {
  const dt = el('dt', 'slip-label', label);
  const dd = el('dd', 'slip-value', value);
  list.append(dt, dd);
}

/** The slip as DOM (text only through textContent), with the QR code as inline SVG. */
export async function renderSlip(slip: SlipData, origin: string = window.location.origin): Promise<HTMLElement> {
  const pageUrl = new URL(slip.publicUrl, origin).toString();
  const root = el('section', `slip slip-${slip.layout}`);
  root.setAttribute('aria-label', `Slip of token ${slip.number}`);
  root.dataset.layout = slip.layout;
  root.append(el('p', 'slip-hospital', 'OPD token'));
  const number = el('p', 'slip-number', slip.number);
  number.dataset.testid = 'slip-number';
  root.append(number);
  const list = el('dl', 'slip-details');
  row(list, 'Doctor', slip.doctor.name);
  row(list, 'Department', slip.doctor.department);
  row(list, 'Room', slip.doctor.room ?? 'Ask at the desk');
  row(list, 'Slot', slip.slot ? `${time(slip.slot.start)}–${time(slip.slot.end)}` : 'Waiting for a place');
  row(list, 'Expected', slip.estimatedAt ? time(slip.estimatedAt) : '–');
  row(list, slip.waitlisted ? 'Waiting list' : 'Place in queue', slip.position === null ? '–' : String(slip.position));
  row(list, 'Issued', `${dateWords(slip.date)}, ${time(slip.issuedAt)}`);
  root.append(list);
  const qr = el('div', 'slip-qr');
  qr.dataset.url = pageUrl;
  // qrcode draws the code as one SVG path: no script, no foreign content.
  qr.innerHTML = await QRCode.toString(pageUrl, { type: 'svg', errorCorrectionLevel: 'M', margin: 4, color: { dark: '#000000', light: '#ffffff' } });
  qr.querySelector('svg')?.setAttribute('aria-hidden', 'true');
  root.append(qr);
  root.append(el('p', 'slip-line', SLIP_LINE.en));
  const hi = el('p', 'slip-line slip-hi', SLIP_LINE.hi);
  hi.lang = 'hi';
  root.append(hi);
  root.append(el('p', 'slip-url', pageUrl));
  return root;
}

/** Puts the slip in the page (replacing the previous one) with its paper size, ready to print. */
export async function placeSlip(slip: SlipData): Promise<HTMLElement> {
  const node = await renderSlip(slip);
  document.getElementById(SLIP_ID)?.remove();
  const holder = document.createElement('div');
  holder.id = SLIP_ID;
  holder.append(node);
  document.body.append(holder);
  let style = document.getElementById(PAGE_STYLE_ID);
  if (!style) {
    style = document.createElement('style');
    style.id = PAGE_STYLE_ID;
    document.head.append(style);
  }
  style.textContent = `@page { size: ${PAGE_SIZE[slip.layout]}; margin: ${slip.layout === 'roll-80mm' ? '2mm' : '8mm'}; }`;
  return node;
}

/** Reads, draws and prints the slip of a token. */
export async function printSlip(token: { id: string }): Promise<void> {
  await placeSlip(await fetchSlip(token.id));
  window.print();
}

/** Prints the slip of the last token issued at this desk; false when there is none. */
export async function printLastSlip(): Promise<boolean> {
  if (lastIssued === null) return false;
  await printSlip(lastIssued);
  return true;
}
