// The HTTP layer alone over real sockets: server processes that build the app as `opd serve` does, with
// the desk's issueToken answering at once with a copy of a real booking's answer (as the `layer` case of
// bench/http-inprocess.ts, but through Node's HTTP parser and socket writes instead of inject), driven in
// turn by autocannon; server CPU (/proc) per 2xx answer. The servers run side by side and are loaded one
// at a time, in turn, the order reversed every other round, so a shared machine weighs on all alike.
//
//   node --import tsx bench/http-layer-socket.ts [--seconds 4] [--rounds 4] [--connections 50] VARIANT…
//
// A VARIANT is `TREE:LEVEL` (TREE a checkout of this repository, e.g. `.` or a copy of an older commit
// made with `git archive`; LEVEL the LOG_LEVEL), or `bare` (bench/http-bare-server.ts, the ceiling).
// A server's standard output (its log) is a pipe read by a `cat` of its own, as a supervisor would.
// Ports 4310 and up, on 127.0.0.1.
//
//   node --import tsx bench/http-layer-socket.ts bare .:info .:silent

import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { processCpu } from './http-machine.ts';
import type { DoctorDay } from './http-api.ts';

const args = process.argv.slice(2);

if (args[0] === '--serve') await serve(args[1]!, args[2]!, Number(args[3]));
else await drive();

/** One server: the app of `tree` at `level`, issueToken stubbed, on `port`; prints `ready {json}` on stderr. */
async function serve(tree: string, level: string, port: number): Promise<void> {
  const root = resolve(tree);
  const { openStore } = await import(`${root}/src/store/open-store.ts`);
  const { openTokenDesk } = await import(`${root}/src/service/token-desk.ts`);
  const { AccessService } = await import(`${root}/src/access/access-service.ts`);
  const { PatientDesk } = await import(`${root}/src/service/patient-desk.ts`);
  const { OpdMetrics } = await import(`${root}/src/api/metrics.ts`);
  const { buildApp } = await import(`${root}/src/api/app.ts`);
  const { ManualClock } = await import(`${root}/src/time/clock.ts`);
  const { CLOCK, HOSPITAL, realisticBody } = await import(`${root}/bench/http-api.ts`);
  const metrics = new OpdMetrics();
  const store = await openStore({ kind: 'sqlite', file: ':memory:' }, { metrics });
  const desk = await openTokenDesk({ store, timeZone: 'Asia/Kolkata', clock: new ManualClock(new Date(CLOCK)), metrics });
  const access = new AccessService(store.access, { clock: { now: () => desk.now() } });
  const patients = await PatientDesk.open(desk, store.settings);
  const stub: { issueToken?: unknown } = {};
  const appDesk = new Proxy(desk, {
    get(target, name) {
      if (name === 'issueToken' && stub.issueToken) return stub.issueToken;
      const value = Reflect.get(target, name, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  const app = buildApp({ desk: appDesk, access, patients, metrics, logger: { level } });
  const { secret } = await access.createApiKey({ name: 'bench', role: 'admin', doctorIds: 'all' });
  const ctx = { actor: await access.resolveApiKey(secret), requestId: 'setup' };
  const days: DoctorDay[] = [];
  for (let d = 0; d < 10; d++) {
    const doctor = await desk.createDoctor({ name: `Bench Doctor ${d}`, department: 'General Medicine', code: `BA${String.fromCharCode(65 + d)}` }, ctx);
    const slotIds: string[] = [];
    for (const hour of HOSPITAL.hours as readonly number[]) {
      const [hh, end] = [hour, hour + 1].map((h) => String(h).padStart(2, '0'));
      slotIds.push((await desk.createSlot({ doctorId: doctor.id, start: `${HOSPITAL.date}T${hh}:00:00+05:30`, end: `${HOSPITAL.date}T${end}:00:00+05:30`, capacity: HOSPITAL.capacity }, ctx)).id);
    }
    days.push({ doctorId: doctor.id, date: HOSPITAL.date, slotIds });
  }
  const template = await desk.issueToken(JSON.parse(realisticBody(days, 0)), ctx);
  let n = 0;
  stub.issueToken = async (input: { patient: object }) => ({ ...template, id: `${template.id.slice(0, 24)}${String(++n).padStart(12, '0')}`, patient: { ...input.patient } });
  await app.listen({ host: '127.0.0.1', port });
  process.stderr.write(`ready ${JSON.stringify({ secret, days })}\n`);
  process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
}

interface Server {
  variant: string;
  child: ChildProcess;
  url: string;
  secret: string | null;
  days: DoctorDay[];
  us: number[];
  perSecond: number[];
}

async function drive(): Promise<void> {
  const option = (name: string, fallback: number) => {
    const i = args.indexOf(name);
    return i >= 0 ? Number(args[i + 1]) : fallback;
  };
  const SECONDS = option('--seconds', 4);
  const ROUNDS = option('--rounds', 4);
  const CONNECTIONS = option('--connections', 50);
  const variants = args.filter((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--'));
  if (variants.length === 0) throw new Error('usage: node --import tsx bench/http-layer-socket.ts [--seconds S] [--rounds R] [--connections C] bare TREE:LEVEL …');
  const autocannon = createRequire(import.meta.url)('autocannon') as (opts: object, done: (err: Error | null, result: { '2xx': number; non2xx: number }) => void) => void;
  const servers: Server[] = [];
  process.on('exit', () => servers.forEach((s) => s.child.kill('SIGKILL')));
  let port = 4310;
  for (const variant of variants) {
    const p = port++;
    // The log goes to a `cat` of its own: reading it here would take processor time from the load.
    const cat = spawn('sh', ['-c', 'exec cat > /dev/null'], { stdio: ['pipe', 'ignore', 'ignore'] });
    if (variant === 'bare') {
      const child = spawn(process.execPath, ['--import', 'tsx', 'bench/http-bare-server.ts'], { env: { ...process.env, PORT: String(p) }, stdio: ['ignore', 'pipe', 'inherit'] });
      await new Promise<void>((ok) => child.stdout!.on('data', (chunk: Buffer) => String(chunk).includes('listening') && ok()));
      const fake = { doctorId: '0b1c2d3e-0000-4000-8000-000000000000', date: '2026-03-10', slotIds: ['5a1b2c3d-0000-4000-8000-000000000000'] };
      servers.push({ variant, child, url: `http://127.0.0.1:${p}`, secret: null, days: [fake], us: [], perSecond: [] });
      continue;
    }
    const [tree, level] = variant.split(':');
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/http-layer-socket.ts', '--serve', tree!, level ?? 'silent', String(p)], { stdio: ['ignore', cat.stdin!, 'pipe'] });
    const ready = await new Promise<{ secret: string; days: DoctorDay[] }>((ok, fail) => {
      let err = '';
      child.stderr!.on('data', (chunk: Buffer) => {
        err += chunk.toString();
        const m = /ready (.*)\n/.exec(err);
        if (m) ok(JSON.parse(m[1]!) as { secret: string; days: DoctorDay[] });
      });
      child.once('exit', (code) => fail(new Error(`${variant} exited (${code}): ${err}`)));
    });
    servers.push({ variant, child, url: `http://127.0.0.1:${p}`, ...ready, us: [], perSecond: [] });
  }

  let requestNumber = 0;
  const body = (s: Server, i: number) => {
    const day = s.days[i % s.days.length]!;
    const slotId = day.slotIds[Math.floor(i / s.days.length) % day.slotIds.length];
    return JSON.stringify({ doctorId: day.doctorId, source: 'ONLINE', patient: { name: `Patient ${i}`, phone: `+91 ${String(7_000_000_000 + i)}` }, slotId });
  };
  const load = (s: Server, seconds: number) =>
    new Promise<{ '2xx': number; non2xx: number }>((ok, fail) => {
      const headers = { 'content-type': 'application/json', ...(s.secret ? { authorization: `Bearer ${s.secret}` } : {}) };
      const request = { method: 'POST', path: '/api/tokens', headers, setupRequest: (r: object) => ({ ...r, body: body(s, requestNumber++) }) };
      autocannon({ url: s.url, connections: CONNECTIONS, duration: seconds, timeout: 10, requests: [request] }, (err, result) => (err ? fail(err) : ok(result)));
    });

  for (const s of servers) await load(s, 2); // warm-up
  for (let round = 0; round < ROUNDS; round++) {
    for (const s of round % 2 === 0 ? servers : [...servers].reverse()) {
      const before = processCpu(s.child.pid!);
      const result = await load(s, SECONDS);
      const us = ((processCpu(s.child.pid!) - before) * 1_000_000) / result['2xx'];
      if (result.non2xx > 0) console.error(`${s.variant}: ${result.non2xx} answers not 2xx`);
      s.us.push(us);
      s.perSecond.push(result['2xx'] / SECONDS);
      console.error(`round ${round + 1} ${s.variant.padEnd(20)} ${us.toFixed(1)} µs server CPU per booking, ${Math.round(result['2xx'] / SECONDS)}/s`);
    }
  }
  const median = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
  };
  for (const s of servers) {
    console.error(`${s.variant.padEnd(20)} median ${median(s.us).toFixed(1)} µs  all ${s.us.map((x) => x.toFixed(0)).join(' ')}  answers/s ${s.perSecond.map((x) => x.toFixed(0)).join(' ')}`);
  }
  for (const s of servers) s.child.kill('SIGTERM');
  process.exit(0);
}
