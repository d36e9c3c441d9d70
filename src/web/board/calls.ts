// Which calls the board announces. The live feed says that a token was called (TokenCalled names the
// token, not its number); the board's next read shows that token among those being served, with its
// number and its doctor's room. A call is announced once it is seen there, in the order of the feed; a
// token no longer served by then (called and finished at once, or a doctor of another board) is
// forgotten after a few reads. Pure, tested in calls.test.ts.

import type { Board } from '../api.ts';

export interface Call {
  /** Unique per call (a token called again is a new call). */
  key: string;
  tokenId: string;
  number: string;
  room: string | null;
  doctorName: string;
}

export interface PendingCall {
  tokenId: string;
  seq: number;
  /** Reads of the board since the event that did not show the token yet. */
  misses: number;
}

/** Reads without the token after which a pending call is forgotten. */
export const MAX_MISSES = 3;

/** The calls a new read of the board shows (in feed order), and those still waiting to be seen. */
export function matchCalls(pending: readonly PendingCall[], board: Board): { found: Call[]; left: PendingCall[] } {
  const serving = new Map<string, Omit<Call, 'key'>>();
  for (const d of board.doctors) {
    for (const t of d.serving) serving.set(t.id, { tokenId: t.id, number: t.number, room: d.doctor.room, doctorName: d.doctor.name });
  }
  const found: Call[] = [];
  const left: PendingCall[] = [];
  for (const p of [...pending].sort((a, b) => a.seq - b.seq)) {
    const token = serving.get(p.tokenId);
    if (token) found.push({ key: `${p.tokenId}@${p.seq}`, ...token });
    else if (p.misses + 1 < MAX_MISSES) left.push({ ...p, misses: p.misses + 1 });
  }
  return { found, left };
}

/** Before any call is heard: the tokens being served now, as the calls panel's first content. */
export function servingNow(board: Board): Call[] {
  return board.doctors.flatMap((d) =>
    d.serving.map((t) => ({ key: `${t.id}@now`, tokenId: t.id, number: t.number, room: d.doctor.room, doctorName: d.doctor.name })),
  );
}
