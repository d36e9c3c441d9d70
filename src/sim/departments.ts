// A large hospital's day by department: the numbers of metrics.ts summed over each department's
// doctors, so that an administrator of 200 doctors sees ten lines rather than two hundred.

import type { DoctorDay, Source } from '../engine/index.ts';
import { waitStats, type DoctorSummary, type WaitStats } from './metrics.ts';

export interface DepartmentSummary {
  department: string;
  doctors: number;
  lateDoctors: number;
  tokens: number;
  seen: number;
  noShows: number;
  /** Waited for a seat all day and never got one. */
  expired: number;
  waits: WaitStats;
  walkInWaits: WaitStats;
  overtimeMaxMinutes: number;
}

/** One entry per department, in the order its first doctor appears. */
export function departmentSummaries(doctors: DoctorSummary[], days: readonly DoctorDay[], waitsByDoctor: { source: Source; minutes: number }[][]): DepartmentSummary[] {
  const groups = new Map<string, number[]>();
  doctors.forEach((d, i) => groups.set(d.department, [...(groups.get(d.department) ?? []), i]));
  return [...groups.entries()].map(([department, members]) => {
    let noShows = 0;
    let expired = 0;
    for (const i of members) {
      for (const t of days[i]!.tokens.values()) {
        if (t.status === 'NO_SHOW') noShows++;
        if (t.status === 'EXPIRED') expired++;
      }
    }
    const waits = members.flatMap((i) => waitsByDoctor[i]!);
    return {
      department,
      doctors: members.length,
      lateDoctors: members.filter((i) => doctors[i]!.lateMinutes > 0).length,
      tokens: members.reduce((n, i) => n + doctors[i]!.tokens, 0),
      seen: members.reduce((n, i) => n + doctors[i]!.completed, 0),
      noShows,
      expired,
      waits: waitStats(waits.map((w) => w.minutes)),
      walkInWaits: waitStats(waits.filter((w) => w.source === 'WALKIN').map((w) => w.minutes)),
      overtimeMaxMinutes: Math.max(0, ...members.map((i) => doctors[i]!.overtimeMinutes)),
    };
  });
}
