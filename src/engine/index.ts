// The allocation engine: pure and deterministic. Time and policy come in with every command; the
// engine never reads the clock, randomness or the environment (the linter enforces it).
export * from './types.ts';
export { DEFAULT_POLICY, mergePolicy, samePolicy, canonicalPolicy, policyProblems, allowanceOf, seatLimit, hardLimit, mayPreempt } from './policy.ts';
export { openDoctorDay, apply, replay, formatNumber, type DoctorDay, type Slot, type ReportedDelay } from './doctor-day.ts';
export { execute, TRANSFERABLE } from './commands.ts';
export { transfer, type TransferToken, type TransferContext, type TransferOutcome } from './transfer.ts';
export { NAME_MAX, PATIENT_ID_MAX, PATIENT_KEY_MAX, ID_MAX, ROOM_MAX, textLength, textProblem } from './text.ts';
export { checkInvariants, eligibleSlots } from './invariants.ts';
export {
  servingOrder,
  estimates,
  estimateOf,
  dayIsOver,
  lostWindows,
  delayInForce,
  tokenView,
  slotView,
  waitlist,
  tiedWaitlist,
  schedule,
  snapshot,
  type TokenView,
  type SlotView,
  type Snapshot,
  type LostWindow,
  type DelayInForce,
} from './queries.ts';
