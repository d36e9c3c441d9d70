// What every subcommand of `opd` is given: where to write, the environment, and a way to report its
// exit code. Kept apart from main.ts so that the commands never import the program that holds them.

import type { Readable } from 'node:stream';
import type { Command } from 'commander';

export interface OutputStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

/** Where the command writes and what it may know of its environment; read once, in main.ts. */
export interface CliIo {
  stdout: OutputStream;
  stderr: OutputStream;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  /** Where a command reads what it asks for (a new password); a terminal when `isTTY`. */
  stdin?: Readable & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };
}

/** A subcommand: it registers itself on the program and reports its exit code through `setExitCode`. */
export type AddCommand = (program: Command, io: CliIo, setExitCode: (code: number) => void) => void;
