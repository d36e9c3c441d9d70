// The token desk's doctors and slots: creating a doctor (its code chosen here), its policy, the
// slots of a doctor-day and the schedule that shows them.

// Time-ordered ids (UUIDv7): new doctors and slots land at the end of their B-trees.
import { v7 as timeOrderedId } from 'uuid';
import type { Policy } from '../engine/index.ts';
import { DuplicateKeyError } from '../store/errors.ts';
import type { DoctorRecord } from '../store/store.ts';
import { localDate } from '../time/local-time.ts';
import type { DeskCore } from './desk-core.ts';
import { rememberFact } from './day-work.ts';
import { doctorCodeCandidates } from './doctor-code.ts';
import { ServiceError, type CreateDoctorInput, type CreateSlotInput, type Doctor, type RequestContext, type Schedule, type Slot, type SlotDetail } from './types.ts';
import { doctorView, scheduleView, slotDetailView, slotView } from './views.ts';

export class DoctorsDesk {
  constructor(private readonly core: DeskCore) {}

  async createDoctor(input: CreateDoctorInput, ctx: RequestContext): Promise<Doctor> {
    const core = this.core;
    const policy = input.policy ?? {};
    core.checkPolicy(policy);
    // Codes are chosen before the transaction (a read inside it would need a second connection);
    // the unique key settles a race, and the next candidate is tried.
    const prior = await core.replayed<Doctor>(ctx);
    if (prior) return prior;
    const candidates = input.code !== undefined ? [input.code] : doctorCodeCandidates(input.department, input.name);
    for (const code of candidates) {
      if (await core.store.getDoctorByCode(code)) continue;
      const doctor: DoctorRecord = { id: timeOrderedId(), name: input.name, department: input.department, room: input.room ?? null, code, policy, createdAt: core.clock.now().toISOString() };
      try {
        return await core.onStore(ctx, async (tx) => {
          await tx.insertDoctor(doctor);
          return { ok: true, value: doctorView(doctor) };
        });
      } catch (err) {
        if (!(err instanceof DuplicateKeyError && err.key === 'doctor.code')) throw err;
      }
    }
    if (input.code !== undefined) throw new ServiceError('VALIDATION_FAILED', `code ${input.code} is already taken`);
    throw new ServiceError('VALIDATION_FAILED', 'no free code: give one (2–4 capital letters)');
  }

  /** By name, then code: the order a desk looks them up in. */
  async listDoctors(): Promise<Doctor[]> {
    const doctors = await this.core.store.listDoctors();
    doctors.sort((a, b) => a.name.localeCompare(b.name, 'en') || a.code.localeCompare(b.code, 'en'));
    return doctors.map(doctorView);
  }

  async getDoctor(id: string): Promise<Doctor> {
    return doctorView(await this.core.doctor(id));
  }

  async setDoctorPolicy(id: string, policy: Partial<Policy>, ctx: RequestContext): Promise<Doctor> {
    const core = this.core;
    core.checkPolicy(policy);
    const doctor = await core.doctor(id);
    const updated = await core.onStore(ctx, async (tx) => {
      await tx.setDoctorPolicy(id, policy);
      return { ok: true, value: doctorView({ ...doctor, policy }) };
    });
    // Open doctor-days take the policy now in force at once (the engine records it and acts on it):
    // the events are the person's doing. A change reads the policy under the day's lock, so a
    // replayed request never brings back the policy it set long ago.
    for (const key of await core.store.daysWithSlotsEndingAfter(core.nowMs())) {
      if (key.doctorId === id) await core.onDay(key, doctor, { actor: ctx.actor }, (w) => w.exec({ type: 'tick' }), 'whole');
    }
    return updated;
  }

  async createSlot(input: CreateSlotInput, ctx: RequestContext): Promise<Slot> {
    const core = this.core;
    const doctor = await core.owner(input.doctorId);
    const start = Date.parse(input.start);
    const end = Date.parse(input.end);
    if (Number.isNaN(start) || Number.isNaN(end)) throw new ServiceError('VALIDATION_FAILED', 'start and end must be ISO 8601 times');
    const key = { doctorId: doctor.id, date: localDate(start, core.tz) };
    const id = timeOrderedId();
    const slot = await core.onDay(key, doctor, ctx, (w) => {
      w.exec({ type: 'createSlot', slot: { id, start, end, capacity: input.capacity, ...(input.room === undefined ? {} : { room: input.room }) } });
      return slotView(w.day, w.day.slotById.get(id)!, core.tz, w.doctor.room);
    });
    rememberFact(core.slotDays, slot.id, key);
    return slot;
  }

  async getSlot(id: string): Promise<SlotDetail> {
    const key = await this.core.slotDay(id);
    // The doctor read now, not the remembered one: its room may have changed.
    const doctor = await this.core.doctor(key.doctorId);
    const day = await this.core.readDay(key, doctor);
    const slot = day.slotById.get(id);
    if (!slot) throw new ServiceError('NOT_FOUND', `no slot ${id}`); // removed by a rota edit
    return slotDetailView(day, slot, this.core.tz, doctor.room);
  }

  async changeCapacity(id: string, capacity: number, ctx: RequestContext): Promise<Slot> {
    const core = this.core;
    const key = await core.slotDay(id);
    return core.onDay(key, await core.owner(key.doctorId), ctx, (w) => {
      w.exec({ type: 'changeCapacity', slotId: id, capacity });
      return slotView(w.day, w.day.slotById.get(id)!, core.tz, w.doctor.room);
    });
  }

  async schedule(doctorId: string, date?: string): Promise<Schedule> {
    const doctor = await this.core.doctor(doctorId);
    const day = await this.core.readDay({ doctorId, date: date ?? this.core.today() }, doctor);
    return scheduleView(doctor, day, this.core.tz, this.core.nowMs());
  }
}
