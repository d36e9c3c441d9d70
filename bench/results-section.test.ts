// bench/RESULTS.md is shared by the benchmarks: a run writes only the sections it measured in full,
// and writing one section leaves every other byte of the file as it was.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { measuredInFull, writeResultsSection } from './results-section.ts';

describe('which sections a benchmark run may write', () => {
  const HTTP = ['bare', 'embedded', 'postgres', 'ceiling'];
  const HTTP_AUTH = ['bare', 'embedded'];
  const run = (only: string[] | undefined, quick = false, profiled = false) => ({ only, quick, profiled });

  it('a full run writes every section', () => {
    expect(measuredInFull(run(undefined), HTTP)).toBe(true);
    expect(measuredInFull(run(undefined), HTTP_AUTH)).toBe(true);
  });

  it('--only writes a section only when every case it reads ran', () => {
    expect(measuredInFull(run(['bare', 'embedded']), HTTP_AUTH)).toBe(true);
    expect(measuredInFull(run(['embedded', 'bare', 'postgres']), HTTP_AUTH)).toBe(true);
    expect(measuredInFull(run(['bare', 'embedded']), HTTP)).toBe(false);
    expect(measuredInFull(run(['embedded']), HTTP_AUTH)).toBe(false);
    expect(measuredInFull(run(['postgres']), HTTP_AUTH)).toBe(false);
    expect(measuredInFull(run(['postgres', 'ceiling']), HTTP)).toBe(false);
  });

  it('a quick or profiled run writes nothing, whatever it ran', () => {
    expect(measuredInFull(run(undefined, true), HTTP)).toBe(false);
    expect(measuredInFull(run(undefined, true), HTTP_AUTH)).toBe(false);
    expect(measuredInFull(run(undefined, false, true), HTTP)).toBe(false);
    expect(measuredInFull(run(['bare', 'embedded'], false, true), HTTP_AUTH)).toBe(false);
  });
});

describe('writing one section of RESULTS.md', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'opd-results-'));
    file = join(dir, 'RESULTS.md');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const BEFORE = [
    '# Results',
    '',
    '<!-- http:start -->',
    'old http',
    '<!-- http:end -->',
    '',
    'A note between sections.',
    '<!-- http-auth:start -->',
    'old auth',
    '<!-- http-auth:end -->',
    '',
  ].join('\n');

  it('replaces that section and keeps every other byte', () => {
    writeFileSync(file, BEFORE);
    writeResultsSection(file, 'http-auth', '\nnew auth\n\n');
    expect(readFileSync(file, 'utf8')).toBe(BEFORE.replace('old auth', 'new auth'));
    writeResultsSection(file, 'http', 'new http');
    expect(readFileSync(file, 'utf8')).toBe(BEFORE.replace('old auth', 'new auth').replace('old http', 'new http'));
  });

  it('appends a section the file does not have yet, and starts a missing file', () => {
    writeFileSync(file, BEFORE);
    writeResultsSection(file, 'flat', 'flat numbers');
    expect(readFileSync(file, 'utf8')).toBe(`${BEFORE.trimEnd()}\n\n<!-- flat:start -->\nflat numbers\n<!-- flat:end -->\n`);
    const fresh = join(dir, 'NEW.md');
    writeResultsSection(fresh, 'engine', 'engine numbers');
    expect(readFileSync(fresh, 'utf8')).toBe('<!-- engine:start -->\nengine numbers\n<!-- engine:end -->\n');
  });
});
