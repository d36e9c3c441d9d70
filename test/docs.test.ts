// The README and docs/ are what a user of the repository reads: every relative link must lead to a file
// (and heading) that a clone has, and none may point outside the repository, where a clone has nothing.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
const PAGES = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

/** The anchor a Markdown heading gets on the usual hosts: lower case, punctuation dropped, spaces as hyphens. */
function anchorOf(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N}_\- ]/gu, '').replaceAll(' ', '-');
}

function headings(page: string): Set<string> {
  const text = readFileSync(join(ROOT, page), 'utf8');
  return new Set([...text.matchAll(/^#+ (.*)$/gm)].map((m) => anchorOf(m[1]!)));
}

describe('the README and docs/', () => {
  it.each(PAGES)('%s links only to files and headings inside the repository', (page) => {
    const text = readFileSync(join(ROOT, page), 'utf8');
    const broken: string[] = [];
    for (const [, link] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/i.test(link!)) continue; // http(s), mailto
      const [path, anchor] = link!.split('#') as [string, string | undefined];
      const target = path === '' ? page : normalize(join(dirname(page), path));
      if (relative(ROOT, join(ROOT, target)).startsWith('..') || !existsSync(join(ROOT, target))) broken.push(`${link}: no such file in the repository`);
      else if (anchor && target.endsWith('.md') && !headings(target).has(anchor)) broken.push(`${link}: no such heading`);
    }
    expect(broken).toEqual([]);
  });

  it.each(PAGES)('%s does not send the reader to a specification that a clone does not have', (page) => {
    expect(readFileSync(join(ROOT, page), 'utf8')).not.toMatch(/SPEC\.md|\.\.\/shared|\bSPEC (section )?\d/);
  });
});
