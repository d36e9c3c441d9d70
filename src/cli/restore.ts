// `opd restore FILE`: puts a backup in place of the embedded database of a stopped server. The backup
// must be a sound token-desk database; the database it replaces is kept beside it, renamed.

import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { DatabaseSummary } from '../store/sqlite/backup.ts';
import { plural, readConfig, sqliteFile } from './arguments.ts';
import type { AddCommand } from './types.ts';

export const addRestoreCommand: AddCommand = (program: Command, io, setExitCode) => {
  program
    .command('restore')
    .argument('<file>', 'a backup made by opd backup')
    .description('Replace the embedded database (OPD_DATA_DIR) by the backup FILE; the server must be stopped')
    .option('--force', 'replace an existing database (it is kept beside it as opd.sqlite.replaced-<time>)')
    .action(async (file: string, flags: { force?: boolean }) => {
      const config = readConfig(io, 'restore');
      const target = config && sqliteFile(config, io, 'restore', 'restore it with pg_restore or from a base backup (see docs/operations.md)');
      if (!target) return setExitCode(2);
      const { restoreDatabase, DatabaseFileError } = await import('../store/sqlite/backup.ts');
      try {
        const { summary, keptAs } = restoreDatabase(resolve(io.cwd, file), resolve(io.cwd, target), { force: flags.force === true });
        io.stdout.write(
          `opd restore: ${file} → ${target}: ${describeDatabase(summary)}; integrity ok\n` +
            (keptAs ? `  the database it replaced is kept as ${keptAs}\n` : '') +
            `  everything after event #${summary.lastEventSeq} is gone: tell the desks, and reload the boards (docs/operations.md)\n`,
        );
        setExitCode(0);
      } catch (err) {
        if (!(err instanceof DatabaseFileError)) throw err;
        io.stderr.write(`opd restore: ${err.message}\n`);
        setExitCode(1);
      }
    });
};

/** What a database holds, in one line. */
export function describeDatabase(s: DatabaseSummary): string {
  const latest = s.latestDate === null ? '' : `, latest day ${s.latestDate}`;
  return `${plural(s.doctors, 'doctor')}, ${plural(s.doctorDays, 'doctor-day')}, ${plural(s.tokens, 'token')}, ${plural(s.events, 'event')} (last #${s.lastEventSeq})${latest}`;
}

export function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
