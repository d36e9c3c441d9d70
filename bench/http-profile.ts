// The top table of a V8 CPU profile (`node --cpu-prof`, or bench/http-inprocess.ts --cpu-prof DIR):
// self time grouped by where the code lives (our layers, each library, V8's own work; native code
// counted with its JavaScript caller), then the heaviest functions. Used to fill the profile tables of bench/RESULTS.md's http section.
//
//   node --import tsx bench/http-profile.ts FILE.cpuprofile [--top N]

import { readFileSync } from 'node:fs';
import { markdownTable, type Cell } from './table.ts';

interface ProfileNode {
  id: number;
  children?: number[];
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Where a function lives, by its file: the first matching rule names the group. */
const GROUPS: [RegExp, string][] = [
  [/\/src\/api\//, 'our HTTP layer (src/api)'],
  [/\/src\/engine\//, 'engine (src/engine)'],
  [/\/src\/service\//, 'service (src/service)'],
  [/\/src\/store\//, 'store (src/store)'],
  [/\/src\/(access|time|shared)\//, 'access, time, shared (src)'],
  [/node_modules\/(zod|@zod)\//, 'zod'],
  [/node_modules\/fastify-type-provider-zod\//, 'fastify-type-provider-zod'],
  [/node_modules\/(fastify|@fastify|find-my-way|avvio|light-my-request|fast-json-stringify|secure-json-parse|toad-cache|process-warning|abstract-logging)\//, 'Fastify (and inject)'],
  [/node_modules\/(pino|pino-std-serializers|sonic-boom|thread-stream|on-exit-leak-free)\//, 'pino (logger)'],
  [/node_modules\/(prom-client|tdigest|bintrees)\//, 'prom-client (metrics)'],
  [/node_modules\/libphonenumber-js\//, 'libphonenumber-js'],
  [/node_modules\/(better-sqlite3|bindings)\//, 'better-sqlite3 (JS side)'],
  [/node_modules\/(sorted-btree)\//, 'sorted-btree'],
  [/node_modules\/(uuid)\//, 'uuid'],
  [/node_modules\/(helmet|@fastify\/helmet)\//, 'helmet (security headers)'],
  [/\/bench\//, 'the benchmark itself (bodies, load)'],
  [/node_modules\//, 'other libraries'],
  [/^node:|^internal\//, 'Node.js (streams, http, crypto…)'],
];

function ownGroup(url: string): string {
  for (const [re, name] of GROUPS) if (re.test(url)) return name;
  return 'other';
}

/**
 * A JavaScript function's group is its file's. Native code (a SQLite statement, JSON.parse, a RegExp)
 * counts to the group of the JavaScript that called it, so that SQLite's time lands in the store.
 */
function groupOf(node: ProfileNode, parents: Map<number, ProfileNode>): string {
  const { functionName, url } = node.callFrame;
  if (url !== '') return ownGroup(url);
  if (functionName === '(garbage collector)') return 'garbage collector';
  if (functionName === '(idle)' || functionName === '(program)') return functionName;
  for (let p = parents.get(node.id); p !== undefined; p = parents.get(p.id)) {
    if (p.callFrame.url !== '') return ownGroup(p.callFrame.url);
  }
  return 'native, no caller (microtasks, timers)';
}

function shortUrl(url: string): string {
  const m = /(node_modules\/.*|src\/.*|bench\/.*)$/.exec(url);
  return m ? m[1]! : url.replace(/^file:\/\//, '');
}

export interface ProfileTable {
  groups: { name: string; ms: number; share: number }[];
  functions: { name: string; where: string; ms: number; share: number }[];
  /** Sampled time, idle and the program's own bookkeeping left out. */
  busyMs: number;
}

export function profileTable(profile: Profile, top = 15): ProfileTable {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parents = new Map<number, ProfileNode>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parents.set(c, n);
  // A sample's time is the gap since the one before; after a stretch the profiler did not sample (the
  // thread waiting, or descheduled on a busy machine) one sample carries all of it — often the profiler's
  // own stop call (`dispatch`). No sample counts for more than a few sampling intervals.
  const deltas = [...profile.timeDeltas].sort((a, b) => a - b);
  const cap = 4 * (deltas[Math.floor(deltas.length / 2)] ?? 0) || Number.POSITIVE_INFINITY;
  const self = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i]!;
    self.set(id, (self.get(id) ?? 0) + Math.min(cap, Math.max(0, profile.timeDeltas[i] ?? 0)));
  }
  const groups = new Map<string, number>();
  const functions = new Map<string, { where: string; us: number; name: string }>();
  let busy = 0;
  for (const [id, us] of self) {
    const node = byId.get(id)!;
    const group = groupOf(node, parents);
    if (group === '(idle)' || group === '(program)') continue;
    busy += us;
    groups.set(group, (groups.get(group) ?? 0) + us);
    const name = node.callFrame.functionName || '(anonymous)';
    const where = node.callFrame.url ? `${shortUrl(node.callFrame.url)}:${node.callFrame.lineNumber + 1}` : `native, from ${group}`;
    const key = `${name}@${where}`;
    const f = functions.get(key) ?? { where, us: 0, name };
    f.us += us;
    functions.set(key, f);
  }
  return {
    busyMs: busy / 1000,
    groups: [...groups].sort((a, b) => b[1] - a[1]).map(([name, us]) => ({ name, ms: us / 1000, share: us / busy })),
    functions: [...functions.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, top)
      .map((f) => ({ name: f.name, where: f.where, ms: f.us / 1000, share: f.us / busy })),
  };
}

export function profileMarkdown(t: ProfileTable): string[] {
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  const groups: Cell[][] = t.groups.map((g) => [g.name, pct(g.share)]);
  const functions: Cell[][] = t.functions.map((f) => [`\`${f.name}\``, f.where, pct(f.share)]);
  return [markdownTable(['self time in', 'share of busy samples'], groups), '', markdownTable(['function', 'where', 'self'], functions)];
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*\//, ''))) {
  const file = process.argv[2];
  if (!file) throw new Error('usage: node --import tsx bench/http-profile.ts FILE.cpuprofile [--top N]');
  const topAt = process.argv.indexOf('--top');
  const top = topAt > 0 ? Number(process.argv[topAt + 1]) : 15;
  const t = profileTable(JSON.parse(readFileSync(file, 'utf8')) as Profile, top);
  console.log(`busy: ${t.busyMs.toFixed(0)} ms sampled\n`);
  for (const line of profileMarkdown(t)) console.log(line);
}
