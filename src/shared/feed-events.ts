// The live feed's events as the browser reads them (GET /api/events, a token's history): the fields
// the desk puts into words, with ISO times. The server writes them from the engine's events
// (src/service/views.ts `feedEvent`); test/vocabulary-types.test.ts fails to compile if the engine's
// events ever stop fitting these shapes, so the two cannot drift apart unseen.

import type { AllocationReason, Cause, Source, TransferLink } from './vocabulary.ts';

interface Base {
  seq: number;
  doctorId: string;
  date: string;
  at: string;
}
interface OnToken extends Base {
  tokenId: string;
}

export type WireEvent =
  | (Base & { type: 'SlotCreated' | 'SlotReserveReleased' | 'PolicyChanged' })
  | (Base & { type: 'SlotRemoved'; slotId: string })
  | (Base & { type: 'SlotCapacityChanged'; slotId: string; from: number; to: number })
  | (Base & { type: 'DoctorDelayed'; minutes: number })
  | (OnToken & { type: 'TokenIssued'; number: string; source: Source; request: { slotId: string | null; flexible: boolean }; transferredFrom?: TransferLink })
  | (OnToken & { type: 'TokenAllocated'; slotId: string; reason: AllocationReason; bumpedTokenId?: string; fromSlotId?: string; cause?: Cause })
  | (OnToken & { type: 'TokenWaitlisted'; reason: 'no-seat' | 'moved'; fromSlotId?: string; cause?: Cause })
  | (OnToken & { type: 'TokenBumped'; byTokenId: string; fromSlotId: string; toSlotId: string | null })
  | (OnToken & { type: 'TokenCheckedIn' | 'TokenCalled' | 'TokenCompleted' | 'TokenExpired' })
  | (OnToken & { type: 'TokenCancelled'; reason?: 'transferred'; transferredTo?: TransferLink })
  | (OnToken & { type: 'TokenSkipped'; skips: number })
  | (OnToken & { type: 'TokenNoShow'; reason: 'staff' | 'grace-expired' | 'max-skips' })
  | (OnToken & { type: 'TokenAged'; effectiveRank: number });
