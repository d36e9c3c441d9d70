// `opd backup FILE`: a consistent copy of the embedded database, taken while the server runs (SQLite's
// online backup from a read-only connection), checked, and only then given its name. PostgreSQL is
// backed up with its own tools (docs/operations.md).

import { resolve } from 'node:path';
import type { Command } from 'commander';
import { readConfig, sqliteFile } from './arguments.ts';
import { describeDatabase, megabytes } from './restore.ts';
import type { AddCommand } from './types.ts';

export const addBackupCommand: AddCommand = (program: Command, io, setExitCode) => {
  program
    .command('backup')
    .argument('<file>', 'where to write the backup (a new file)')
    .description('Copy the embedded database (OPD_DATA_DIR) to FILE while the server runs: one consistent moment, checked before it is kept')
    .option('--force', 'replace FILE if it exists')
    .action(async (file: string, flags: { force?: boolean }) => {
      const config = readConfig(io, 'backup');
      const source = config && sqliteFile(config, io, 'backup', 'back it up with pg_dump or a base backup (see docs/operations.md)');
      if (!source) return setExitCode(2);
      const { backupDatabase, DatabaseFileError } = await import('../store/sqlite/backup.ts');
      const target = resolve(io.cwd, file);
      try {
        const { summary, ms } = await backupDatabase(resolve(io.cwd, source), target, { force: flags.force === true });
        io.stdout.write(`opd backup: ${source} → ${file}: ${megabytes(summary.bytes)}, ${describeDatabase(summary)}; integrity ok; ${(ms / 1000).toFixed(1)} s\n`);
        setExitCode(0);
      } catch (err) {
        if (!(err instanceof DatabaseFileError)) throw err;
        io.stderr.write(`opd backup: ${err.message}\n`);
        setExitCode(1);
      }
    });
};
