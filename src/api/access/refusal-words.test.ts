// A 403 is read by a receptionist or a doctor at the desk: it says in words what the account cannot
// do, and whether it was another doctor's; the action's API name follows in brackets for scripts.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { harness, seedDay, type Day, type Harness } from '../../../test/kits/api/test-kit.ts';

let h: Harness;
let a: Day;
let b: Day;
beforeAll(async () => {
  h = await harness();
  a = await seedDay(h.sut, 'GM');
  b = await seedDay(h.sut, 'OR');
});
afterAll(async () => h.close());

describe('a refusal in words (403 FORBIDDEN)', () => {
  it("names what the role cannot do, and says when it was another doctor's", async () => {
    const desk = await h.as('desk');
    const deskCall = await desk.call('POST', `/api/doctors/${a.doctor.id}/call-next`, {});
    expect([deskCall.status, deskCall.body.detail]).toEqual([403, 'A front-desk account cannot call the next patient. Ask an administrator if you need to. [callNext]']);
    const doctorB = await h.as('doctor', [b.doctor.id]);
    const otherDay = await doctorB.call('GET', `/api/doctors/${a.doctor.id}/schedule`);
    expect([otherDay.status, otherDay.body.detail]).toEqual([
      403,
      "A doctor account cannot see this doctor's day (it is another doctor's). Ask an administrator if you need to. [readSchedule]",
    ]);
  });
});
