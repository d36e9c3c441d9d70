// The token desk's tokens: issuing one, the lifecycle actions, the doctor's call-next and delays.

// Time-ordered ids (UUIDv7): new tokens land at the end of their B-trees, so a booking writes a few
// pages instead of pages all over the tables.
import { v7 as timeOrderedId } from 'uuid';
import type { DeskCore } from './desk-core.ts';
import { ACTIONS, rememberFact } from './day-work.ts';
import { transfer } from '../engine/index.ts';
import { ServiceError, type IssuedToken, type IssueTokenInput, type RequestContext, type Schedule, type Token, type TokenAction, type TransferTokenInput } from './types.ts';
import { scheduleView, tokenView } from './views.ts';
import { noOpdLeft } from './issue-rules.ts';
import type { PersonalDesk } from './personal-desk.ts';
import type { DayKey } from '../store/store.ts';
import { sameDoctorDay, transferRefusal } from './transfer-rules.ts';

export class TokensDesk {
  constructor(
    private readonly core: DeskCore,
    /** Patients' personal data, apart from the log (SPEC 12). */
    private readonly personal: PersonalDesk,
  ) {}

  async issueToken(input: IssueTokenInput, ctx: RequestContext): Promise<IssuedToken> {
    const core = this.core;
    const doctor = await core.owner(input.doctorId);
    let date = input.date ?? core.today();
    // A day that is over takes no new token (it would wait for a slot that can never come).
    if (input.date !== undefined && input.date < core.today()) throw noOpdLeft(doctor, input.date, true);
    let slotKey: DayKey | undefined;
    if (input.slotId !== undefined) {
      const slot = (slotKey = await core.slotDay(input.slotId, doctor.id));
      if (input.date !== undefined && input.date !== slot.date) throw new ServiceError('VALIDATION_FAILED', `slot ${input.slotId} is on ${slot.date}, not ${input.date}`);
      date = slot.date;
    }
    const tokenId = timeOrderedId();
    // The slot's remembered key when there is one: the token's fact below then holds no object of its own.
    const key = slotKey ?? { doctorId: doctor.id, date };
    const patient = await this.personal.newPatient(key, input.patient);
    const row = patient.row(tokenId);
    const issued = await core.onDay(key, doctor, ctx, (w) => {
      let out;
      try {
        out = w.exec({
          type: 'issueToken',
          tokenId,
          source: input.source,
          ...(patient.patientKey === undefined ? {} : { patientKey: patient.patientKey }),
          slotId: input.slotId ?? null,
          flexible: input.flexible ?? false,
          arrived: input.arrived ?? false,
        });
      } catch (err) {
        if (err instanceof ServiceError && err.code === 'NO_OPEN_SLOT') throw noOpdLeft(w.doctor, date, w.day.slots.length > 0);
        throw err;
      }
      w.personal.push(row);
      const bumped = out.bumpedTokenId === undefined ? null : tokenView(w.day, w.day.tokens.get(out.bumpedTokenId)!, core.tz);
      return { ...tokenView(w.day, w.day.tokens.get(tokenId)!, core.tz), bumped };
    });
    rememberFact(core.tokenDays, issued.id, key);
    // The new token's patient is known: only a bumped token's is read.
    return this.personal.join(issued, key, [row]);
  }

  /**
   * SPEC 7 transfer: both doctor-days in one transaction (locked in a fixed order); the new day issues
   * the token first, then the old one is cancelled with reason `transferred`, each naming the other,
   * every event with the request's actor. Answers the new token.
   */
  async transferToken(id: string, input: TransferTokenInput, ctx: RequestContext): Promise<Token> {
    const core = this.core;
    const fromKey = await core.tokenDay(id);
    const fromDoctor = await core.owner(fromKey.doctorId);
    const doctor = await core.owner(input.doctorId);
    let date = input.date ?? core.today();
    if (input.date !== undefined && input.date < core.today()) throw noOpdLeft(doctor, input.date, true);
    if (input.slotId !== undefined) {
      const slot = await core.slotDay(input.slotId, doctor.id);
      if (input.date !== undefined && input.date !== slot.date) throw new ServiceError('VALIDATION_FAILED', `That slot is on ${slot.date}, not ${input.date}.`, { errors: [{ in: 'body', path: '/slotId', message: `is on ${slot.date}` }] });
      date = slot.date;
    }
    if (doctor.id === fromKey.doctorId && date === fromKey.date) throw sameDoctorDay(doctor, date);
    const toKey = { doctorId: doctor.id, date };
    const newId = timeOrderedId();
    // The same patient on the new day: copied from the personal table, keyed under the new day's secret.
    const patient = await this.personal.patientOfToken(id);
    if (patient === null) throw new ServiceError('INVALID_TRANSITION', "This patient's personal data was erased: issue a new token for them instead.");
    const copy = await this.personal.newPatient(toKey, patient);
    const row = copy.row(newId);
    const moved = await core.onDays([{ key: toKey, doctor }, { key: fromKey, doctor: fromDoctor }], ctx, ([to, from]) => {
      const out = transfer(
        from!.day,
        to!.day,
        { tokenId: id, newTokenId: newId, ...(copy.patientKey === undefined ? {} : { patientKey: copy.patientKey }), slotId: input.slotId ?? null, flexible: input.flexible ?? false },
        { now: to!.now, fromPolicy: from!.policy, toPolicy: to!.policy },
      );
      from!.events.push(...out.from);
      to!.events.push(...out.to);
      if (!out.ok) {
        throw transferRefusal(out, from!.day.tokens.get(id)!, {
          doctor: to!.doctor,
          date,
          hadSlots: to!.day.slots.length > 0,
          number: (tokenId) => to!.day.tokens.get(tokenId)?.label,
        });
      }
      to!.personal.push(row);
      return tokenView(to!.day, to!.day.tokens.get(newId)!, core.tz);
    });
    rememberFact(core.tokenDays, moved.id, toKey);
    return this.personal.join(moved, toKey, [row]);
  }

  async getToken(id: string): Promise<Token> {
    const key = await this.core.tokenDay(id);
    const day = await this.core.readDay(key, await this.core.owner(key.doctorId));
    return this.personal.join(tokenView(day, day.tokens.get(id)!, this.core.tz));
  }

  async act(id: string, action: TokenAction, ctx: RequestContext): Promise<Token> {
    const core = this.core;
    const key = await core.tokenDay(id);
    const token = await core.onDay(key, await core.owner(key.doctorId), ctx, (w) => {
      w.exec({ type: ACTIONS[action], tokenId: id });
      return tokenView(w.day, w.day.tokens.get(id)!, core.tz);
    });
    return this.personal.join(token);
  }

  async callNext(doctorId: string, date: string | undefined, ctx: RequestContext): Promise<Token> {
    const core = this.core;
    const doctor = await core.owner(doctorId);
    const token = await core.onDay({ doctorId, date: date ?? core.today() }, doctor, ctx, (w) => {
      const out = w.exec({ type: 'callNext' });
      return tokenView(w.day, w.day.tokens.get(out.tokenId!)!, core.tz);
    });
    return this.personal.join(token);
  }

  async delay(doctorId: string, minutes: number, date: string | undefined, ctx: RequestContext): Promise<Schedule> {
    const core = this.core;
    const doctor = await core.owner(doctorId);
    const key = { doctorId, date: date ?? core.today() };
    const schedule = await core.onDay(key, doctor, ctx, (w) => {
      w.exec({ type: 'delayDoctor', minutes });
      return scheduleView(w.doctor, w.day, core.tz, w.now);
    });
    return this.personal.join(schedule, key);
  }
}
