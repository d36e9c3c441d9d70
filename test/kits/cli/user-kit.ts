// For the tests of `opd user`: the command run in-process with a standard input of the test's
// choosing (a pipe's lines, or a fake terminal), and what it printed.

import { PassThrough, Readable } from 'node:stream';
import { main } from '../../../src/cli/main.ts';
import type { CliIo } from '../../../src/cli/types.ts';

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** `opd …` with `stdin` as a pipe carrying `input` (nothing: an empty pipe). */
export async function opdWithInput(args: string[], env: Record<string, string>, input = ''): Promise<Run> {
  return run(args, env, Readable.from(input === '' ? [] : [input]));
}

/** A terminal that types each of `lines` (then Enter) once the command asks. */
export function fakeTerminal(lines: string[]): NonNullable<CliIo['stdin']> & { rawModes: boolean[] } {
  const rawModes: boolean[] = [];
  const tty = Object.assign(new PassThrough(), {
    isTTY: true,
    rawModes,
    setRawMode(raw: boolean) {
      rawModes.push(raw);
      return tty;
    },
  });
  let typed = 0;
  // Typed a little later each, as a person would after the prompt.
  const typeNext = () => {
    if (typed >= lines.length) return;
    tty.write(`${lines[typed++]}\r`);
    setTimeout(typeNext, 20);
  };
  setTimeout(typeNext, 20);
  return tty;
}

export async function run(args: string[], env: Record<string, string>, stdin: CliIo['stdin']): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s), isTTY: true }, env, cwd: process.cwd(), stdin });
  return { code, stdout, stderr };
}
