// bench/RESULTS.md is shared by the benchmarks: each owns one section between markers
// (`<!-- engine:start -->` … `<!-- engine:end -->`, `<!-- http:start -->` … `<!-- http:end -->`) and
// replaces only that section, keeping the rest of the file as it is.

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
