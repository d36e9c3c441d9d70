// The `opd` command: one commander program, one subcommand per job and per file of src/cli/
// (`simulate`, `serve`, `migrate`, `backup`, `restore`, `check`, `user`).
// `main` never exits the process and never reads process state beyond what `io` hands it, so tests
// can run it in-process and capture what it prints.

import { Command, CommanderError } from 'commander';
import { addBackupCommand } from './backup.ts';
import { addCheckCommand } from './check.ts';
import { addMigrateCommand } from './migrate.ts';
import { addRestoreCommand } from './restore.ts';
import { addServeCommand } from './serve.ts';
import { addSimulateCommand } from './simulate.ts';
import { addUserCommand } from './user.ts';
import type { AddCommand, CliIo } from './types.ts';

export type { CliIo, OutputStream } from './types.ts';

const COMMANDS: AddCommand[] = [addSimulateCommand, addServeCommand, addMigrateCommand, addBackupCommand, addRestoreCommand, addCheckCommand, addUserCommand];

/** Usage errors (unknown option, bad value) exit with 2, like most Unix tools. */
const USAGE_ERROR = 2;

export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  let exitCode = 0;
  const program = new Command('opd')
    .description('Token desk of a hospital outpatient department')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => void io.stdout.write(s),
      writeErr: (s) => void io.stderr.write(s),
    })
    .showHelpAfterError('(add --help for usage)');
  for (const add of COMMANDS) add(program, io, (code) => (exitCode = code));
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.exitCode === 0) return 0;
      if (err.code === 'commander.help') return 0;
      return err.exitCode === 1 ? USAGE_ERROR : err.exitCode;
    }
    io.stderr.write(`opd: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return 1;
  }
  return exitCode;
}

function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd(), stdin: process.stdin };
}
