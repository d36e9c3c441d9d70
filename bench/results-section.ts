// bench/RESULTS.md is shared by the benchmarks: each owns one section between markers
// (`<!-- engine:start -->` … `<!-- engine:end -->`, `<!-- http:start -->` … `<!-- http:end -->`) and
// replaces only that section, keeping the rest of the file as it is. A section is written only by a
// run that measured it in full (measuredInFull): a quick, profiled or partial run leaves it as it was.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/** Writes `text` as the section `name` of the markdown file at `path`: replaced if there, else appended. */
export function writeResultsSection(path: string, name: string, text: string): void {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const section = `${start}\n${text.trim()}\n${end}`;
  const old = existsSync(path) ? readFileSync(path, 'utf8') : '';
  const from = old.indexOf(start);
  const to = from < 0 ? -1 : old.indexOf(end, from);
  const updated =
    from >= 0 && to >= 0
      ? `${old.slice(0, from)}${section}${old.slice(to + end.length)}`
      : old.trim() === ''
        ? `${section}\n`
        : `${old.trimEnd()}\n\n${section}\n`;
  writeFileSync(path, updated);
}

/** How a benchmark run was started: --only CASES, --quick, --cpu-prof. */
export interface RunChoice {
  only: readonly string[] | undefined;
  quick: boolean;
  profiled: boolean;
}

/**
 * Whether this run measured, in full, a section that reads the cases `reads`: every one of them ran,
 * at full length and not slowed by a profiler. Only then may the run write that section.
 */
export function measuredInFull(run: RunChoice, reads: readonly string[]): boolean {
  return !run.quick && !run.profiled && reads.every((name) => run.only === undefined || run.only.includes(name));
}
