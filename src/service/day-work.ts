// The pieces of one change to a doctor-day: the engine commands it runs (DayWork), the answer it
// gives (remembered for its Idempotency-Key), and small helpers the desk shares.

import { execute, type Command, type Policy, type Success } from '../engine/index.ts';
import type { DoctorRecord } from '../store/store.ts';
import type { PersonalRow } from '../store/personal.ts';
import type { CachedDay } from './day-cache.ts';
import { ServiceError, type TokenAction } from './types.ts';

export type Answer<T> = { ok: true; value: T } | { ok: false; code: ServiceError['code']; message: string; details: Record<string, unknown> };

export const ACTIONS: Record<TokenAction, 'cancel' | 'noShow' | 'checkIn' | 'complete' | 'skip'> = {
  cancel: 'cancel',
  'no-show': 'noShow',
  'check-in': 'checkIn',
  complete: 'complete',
  skip: 'skip',
};

/** One doctor-day inside a transaction: engine commands run here, their events are collected. */
export class DayWork {
  readonly events: Success['events'] = [];
  /** Personal data of the tokens this work issues: written in the same transaction as their events. */
  readonly personal: PersonalRow[] = [];
  constructor(
    readonly entry: CachedDay,
    readonly now: number,
    /** The doctor as committed when the day was locked: its policy is the one in force. */
    readonly doctor: DoctorRecord,
    readonly policy: Policy,
  ) {}

  get day() {
    return this.entry.day;
  }

  /**
   * What the moment is due before any command (the policy in force recorded, reserves opened): the
   * engine's own first step, run alone so its events are told apart from the command's (they are the
   * system's, not the person's). The command that follows finds nothing left of it. Returns how many
   * events it wrote.
   */
  catchUp(): number {
    this.exec({ type: 'setPolicy', policy: this.policy });
    return this.events.length;
  }

  /** Runs one engine command; a refusal becomes a ServiceError, after keeping what its moment was due. */
  exec(command: Command): Success {
    const out = execute(this.entry.day, command, { now: this.now, policy: this.policy });
    this.events.push(...out.events);
    if (!out.ok) throw new ServiceError(out.code, out.message, out.tokenId === undefined ? {} : { tokenId: out.tokenId });
    return out;
  }
}

/** Remembered facts are a cache: past this many, forget them all and read them again as needed. */
export const MAX_FACTS = 200_000;

export function rememberFact<V>(map: Map<string, V>, key: string, value: V): void {
  if (map.size >= MAX_FACTS) map.clear();
  map.set(key, value);
}

export function refusal(code: ServiceError['code'], message: string, details: Record<string, unknown> = {}): Answer<never> {
  return { ok: false, code, message, details };
}

export function notFound(what: string, id: string): ServiceError {
  return new ServiceError('NOT_FOUND', `no ${what} ${id}`);
}
