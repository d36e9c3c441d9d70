import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, type Source } from '../engine/index.ts';
import { DEFAULT_DAY_INPUTS, generateDay } from './generated-day.ts';
import { MetricsCollector } from './metrics.ts';
import type { DayPlan } from './plan.ts';
import { PRESETS, presetInputs } from './presets.ts';
import { runDay } from './runner.ts';

// Rates are checked on 4 fixed seeds × 50 doctors = 200 doctor-days each. Every tolerance below is
// at least 3 standard errors of the measured share or mean at that sample size (worked out in each
// comment), so a seed change would not trip it, but a wrong rate in the preset or the generator would.
const SEEDS = [1, 2, 3, 4];
const DOCTORS = 50;

function plans(name: keyof typeof PRESETS): DayPlan[] {
  return SEEDS.map((seed) => generateDay(presetInputs(name), seed, DOCTORS));
}

function patients(days: DayPlan[], source?: Source) {
  return days.flatMap((d) => d.doctors.flatMap((doc) => doc.patients)).filter((p) => source === undefined || p.source === source);
}

const share = <T>(list: T[], pick: (x: T) => boolean) => list.filter(pick).length / list.length;

describe('presets', () => {
  it('keeps the balanced day as the default', () => {
    expect(presetInputs('balanced')).toEqual(DEFAULT_DAY_INPUTS);
    expect(DEFAULT_DAY_INPUTS.onlineNoShowRate).toBe(DEFAULT_DAY_INPUTS.noShowRate);
  });

  describe('government-opd', () => {
    const days = plans('government-opd');

    it('is walk-in heavy: 9 walk-ins an hour per doctor between 07:30 and 12:30, most of the tokens', () => {
      const walkIns = patients(days, 'WALKIN').length;
      // 45 expected per doctor-day; over 200 doctor-days the mean per hour has a standard error of
      // √45 / √200 / 5 h ≈ 0.1, so ±0.4 is 4 standard errors.
      expect(walkIns / (SEEDS.length * DOCTORS) / 5).toBeGreaterThan(8.6);
      expect(walkIns / (SEEDS.length * DOCTORS) / 5).toBeLessThan(9.4);
      expect(share(patients(days), (p) => p.source === 'WALKIN')).toBeGreaterThan(0.7);
      expect(patients(days, 'PAID')).toHaveLength(0);
    });

    it('has more no-shows among online bookings (30%) than follow-ups (15%)', () => {
      // ~1,600 online bookings: standard error √(0.3·0.7/1600) ≈ 0.011; ±0.04 is 3.5 of them.
      const online = share(patients(days, 'ONLINE'), (p) => p.fate === 'no-show');
      expect(Math.abs(online - 0.3)).toBeLessThan(0.04);
      // ~1,200 follow-ups: √(0.15·0.85/1200) ≈ 0.010; ±0.04 is 4 of them.
      const followUps = share(patients(days, 'FOLLOWUP'), (p) => p.fate === 'no-show');
      expect(Math.abs(followUps - 0.15)).toBeLessThan(0.04);
    });

    it('has a doctor see 8 to 12 patients an hour', () => {
      for (const seed of [42, 7]) {
        const plan = generateDay(presetInputs('government-opd'), seed, 6);
        const metrics = new MetricsCollector(plan);
        const run = runDay(plan, { policy: DEFAULT_POLICY, observers: [metrics] });
        const seen = metrics.finish(run).tokens.byOutcome.COMPLETED;
        // One session of 6 hours per doctor.
        const perHour = seen / 6 / 6;
        expect(perHour, `seed ${seed}`).toBeGreaterThanOrEqual(8);
        expect(perHour, `seed ${seed}`).toBeLessThanOrEqual(12);
      }
    });
  });

  describe('private-clinic', () => {
    const days = plans('private-clinic');

    it('is mostly booked, with about 12-minute consultations', () => {
      expect(share(patients(days), (p) => p.source === 'WALKIN')).toBeLessThan(0.2);
      const booked = patients(days).filter((p) => p.source === 'ONLINE' || p.source === 'FOLLOWUP' || p.source === 'PAID');
      // Lognormal, mean 12, σ 0.5: sd ≈ 6.4; over ~4,800 patients the mean has a standard error of
      // ≈ 0.1 min; ±0.6 allows for rounding to whole minutes and the cut at 2 and 45.
      const mean = booked.reduce((n, p) => n + p.consultMinutes, 0) / booked.length;
      expect(Math.abs(mean - 12)).toBeLessThan(0.6);
    });

    it('has 12% no-shows among online bookings and 10% among the others', () => {
      // ~2,400 online bookings: √(0.12·0.88/2400) ≈ 0.0066; ±0.03 is 4.5 of them.
      expect(Math.abs(share(patients(days, 'ONLINE'), (p) => p.fate === 'no-show') - 0.12)).toBeLessThan(0.03);
      // ~2,400 follow-up and paid bookings: ≈ 0.0061; ±0.03 is 5 of them.
      const others = [...patients(days, 'FOLLOWUP'), ...patients(days, 'PAID')];
      expect(Math.abs(share(others, (p) => p.fate === 'no-show') - 0.1)).toBeLessThan(0.03);
    });
  });
});
