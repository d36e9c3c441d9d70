// One room per role: src/ holds what ships, test/kits/ and test/suites/ what tests share, bench/ the
// benchmarks. Nothing under src/ but its own tests imports test/ (the linter refuses it, and the real
// imports are walked here), and every file under src/ but the tests is reached from what ships: the
// `opd` command (bin/opd.js) and the web app's two pages. A kit or a suite left in src/ fails this.

import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { ESLint } from 'eslint';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { docsScreenshotsDir, SCREENSHOTS } from './kits/browser.ts';

const ROOT = join(import.meta.dirname, '..');
const isTest = (file: string) => /\.test\.tsx?$/.test(file);

function filesUnder(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.(ts|tsx)$/.test(e.name))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)))
    .sort();
}

/** The repository files a source file names: static and dynamic imports, and `new URL('./…', import.meta.url)`. */
function referencesOf(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const specifiers = ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName);
  for (const m of text.matchAll(/new URL\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*,\s*import\.meta\.url\s*\)/g)) specifiers.push(m[1]!);
  const found: string[] = [];
  for (const spec of specifiers.filter((s) => s.startsWith('./') || s.startsWith('../'))) {
    const target = resolve(join(ROOT, dirname(file)), spec);
    const candidate = [target, target.replace(/\.js$/, '.ts'), `${target}.ts`].find((p) => existsSync(p) && !p.endsWith('/'));
    if (candidate) found.push(relative(ROOT, candidate));
  }
  return found;
}

/** Every file reached from the entries by following references. */
function reachedFrom(entries: string[]): Set<string> {
  const seen = new Set<string>();
  const pending = [...entries];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (seen.has(file) || !/\.(ts|tsx|js)$/.test(file)) continue;
    seen.add(file);
    pending.push(...referencesOf(file));
  }
  return seen;
}

/** The scripts a web page loads (<script type="module" src="./…">), as repository paths. */
function pageScripts(page: string): string[] {
  const html = readFileSync(join(ROOT, page), 'utf8');
  return [...html.matchAll(/<script[^>]*\ssrc="(\.\/[^"]+)"/g)].map((m) => relative(ROOT, resolve(join(ROOT, dirname(page)), m[1]!)));
}

describe('src/ holds what ships; kits, suites and benchmarks live outside it', () => {
  // Declaration files (vite-env.d.ts) hold types for the compiler, no code to reach.
  const shipped = filesUnder('src').filter((f) => !isTest(f) && !f.endsWith('.d.ts'));

  it('no file under src/ but the tests imports anything under test/', () => {
    const offenders = shipped.flatMap((file) => referencesOf(file).filter((t) => t.startsWith('test/')).map((t) => `${file} → ${t}`));
    expect(offenders).toEqual([]);
  });

  it('every file under src/ but the tests is reached from the opd command or a web page', () => {
    const entries = ['bin/opd.js', ...pageScripts('src/web/index.html'), ...pageScripts('src/web/patient.html')];
    expect(entries).toContain('src/web/main.tsx');
    const reached = reachedFrom(entries);
    expect(reached.has('src/cli/main.ts')).toBe(true);
    expect(shipped.filter((f) => !reached.has(f))).toEqual([]);
  });
});

describe('the linter keeps test/ out of the code that ships', () => {
  const lint = async (code: string, filePath: string) => {
    const [result] = await new ESLint({ cwd: ROOT }).lintText(code, { filePath: join(ROOT, filePath) });
    return result!.messages.map((m) => m.ruleId);
  };
  const importing = (path: string) => `import { harness } from '${path}';\nexport const x = harness;\n`;

  it('refuses an import of test/ from code under src/, and allows it in a test beside that code', async () => {
    expect(await lint(importing('../../test/kits/api/test-kit.ts'), 'src/api/fixture.ts')).toContain('no-restricted-imports');
    expect(await lint(importing('../../../test/suites/store/contract.ts'), 'src/store/sqlite/fixture.ts')).toContain('no-restricted-imports');
    expect(await lint(importing('../../test/kits/api/test-kit.ts'), 'src/web/fixture.tsx')).toContain('no-restricted-imports');
    expect(await lint(importing('../../test/kits/engine/test-kit.ts'), 'src/engine/fixture.ts')).toContain('no-restricted-imports');
    expect(await lint(importing('../../test/kits/api/test-kit.ts'), 'src/api/fixture.test.ts')).toEqual([]);
    expect(await lint(importing('./app.ts'), 'src/api/fixture.ts')).toEqual([]);
  });

  it("lets the engine's tests read the engine's kit and nothing else of test/; the kit reads only the engine", async () => {
    expect(await lint(importing('../../test/kits/engine/test-kit.ts'), 'src/engine/fixture.test.ts')).toEqual([]);
    expect(await lint(importing('../../test/kits/api/test-kit.ts'), 'src/engine/fixture.test.ts')).toContain('no-restricted-imports');
    expect(await lint(importing('../../../src/engine/commands.ts'), 'test/kits/engine/fixture.ts')).toEqual([]);
    expect(await lint(importing('../../../src/store/store.ts'), 'test/kits/engine/fixture.ts')).toContain('no-restricted-imports');
    expect(await lint(`export const x = Date.now();\n`, 'test/kits/engine/fixture.ts')).toContain('no-restricted-properties');
  });
});

describe('the browser tests rewrite no committed file unless asked', () => {
  /** git's answer for a path: tracked, ignored, or neither. */
  const gitStatusOf = (path: string) => {
    const git = (...args: string[]) => {
      try {
        execFileSync('git', args, { cwd: ROOT, stdio: 'ignore' });
        return true;
      } catch {
        return false;
      }
    };
    if (git('ls-files', '--error-unmatch', path)) return 'tracked';
    return git('check-ignore', '-q', '--no-index', path) ? 'ignored' : 'untracked';
  };

  it('writes the pictures the docs show into an ignored folder by default', () => {
    const dir = docsScreenshotsDir({});
    expect(dir).toBe(SCREENSHOTS);
    expect(gitStatusOf(relative(ROOT, join(dir, 'slip-80mm.png')))).toBe('ignored');
  });

  it('writes them into docs/screenshots/, over the committed ones, when OPD_SCREENSHOTS asks', () => {
    const dir = docsScreenshotsDir({ OPD_SCREENSHOTS: 'docs/screenshots' });
    expect(dir).toBe(join(ROOT, 'docs', 'screenshots') + sep);
    expect(gitStatusOf(relative(ROOT, join(dir, 'slip-80mm.png')))).toBe('tracked');
    const script = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts['screenshots:docs'];
    expect(script).toMatch(/^OPD_SCREENSHOTS=docs\/screenshots vitest run test\/e2e\/patient\.test\.ts$/);
  });
});
