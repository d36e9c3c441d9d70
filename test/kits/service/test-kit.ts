// Actors and request contexts for the service's tests (and the check kit's seeded day): who a change
// is by, as the API would hand it over.

import type { Actor, RequestContext } from '../../../src/access/types.ts';
import type { Idempotency } from '../../../src/service/types.ts';

/** A front-desk account. */
export const ANITA: Actor = Object.freeze({ kind: 'account', id: 'acc-anita', name: 'Anita', role: 'desk', doctorIds: 'all' });
/** A doctor's account, bound to its own doctor. */
export const DR_RAO: Actor = Object.freeze({ kind: 'account', id: 'acc-rao', name: 'Dr Rao', role: 'doctor', doctorIds: ['any'] });
/** An integration's API key (a kiosk issuing tokens). */
export const KIOSK: Actor = Object.freeze({ kind: 'apiKey', id: 'key-kiosk', name: 'Lobby kiosk', role: 'desk', doctorIds: 'all' });

/** A request by `actor`, with an Idempotency-Key when `idempotency` is given. */
export function by(actor: Actor, idempotency?: Idempotency): RequestContext {
  return { actor, requestId: 'test', ...(idempotency ? { idempotency } : {}) };
}

/** A request by the front desk (Anita). */
export const AS_DESK: RequestContext = by(ANITA);

/** A request by the front desk with an Idempotency-Key. */
export const withKey = (idempotency: Idempotency): RequestContext => by(ANITA, idempotency);
