// How `opd user` reads a password: from a terminal, asked twice without echo (npm's `read`); from a
// pipe (or with --password-stdin), its first line. Never from an argument: a command line is seen by
// every user of the server in `ps` and kept in shell histories.

import { Writable, type Readable } from 'node:stream';
import { read } from 'read';
import type { CliIo } from './types.ts';

/** A refusal of what was typed or piped; the command says it and exits with 1. */
export class PasswordInputError extends Error {}

/** The most a piped password may take: far beyond any password, small enough not to read a file by mistake. */
const MAX_STDIN_BYTES = 64 * 1024;

export async function readNewPassword(io: CliIo, options: { fromStdin: boolean }): Promise<string> {
  const input = io.stdin;
  if (!input) throw new PasswordInputError('there is no input to read the password from');
  if (options.fromStdin || input.isTTY !== true) return firstLine(input);
  // The prompts go to stderr, so that what the command prints on stdout stays clean.
  const output = Object.assign(
    new Writable({
      write(chunk: Buffer | string, _encoding, done) {
        io.stderr.write(chunk.toString());
        done();
      },
    }),
    { isTTY: true },
  );
  const first = await read({ prompt: 'New password:', silent: true, replace: '', input, output, terminal: true });
  const again = await read({ prompt: 'The same again:', silent: true, replace: '', input, output, terminal: true });
  if (first !== again) throw new PasswordInputError('the two passwords differ: nothing was changed');
  return first;
}

async function firstLine(input: Readable): Promise<string> {
  let text = '';
  for await (const chunk of input) {
    text += typeof chunk === 'string' ? chunk : (chunk as Buffer).toString('utf8');
    if (text.length > MAX_STDIN_BYTES) throw new PasswordInputError('standard input is too long for a password: pipe in one line');
    if (text.includes('\n')) break;
  }
  const line = text.split('\n')[0]!.replace(/\r$/, '');
  if (line === '') throw new PasswordInputError('standard input had no password (an empty first line)');
  return line;
}
