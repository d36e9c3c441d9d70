// `opd migrate`: creates or upgrades the schema of the configured store and exits. Servers also
// migrate at start (under a lock in PostgreSQL); this is for doing it ahead of a deployment.

import type { Command } from 'commander';
import type { AddCommand } from './types.ts';
import { loadConfig } from '../config.ts';

export const addMigrateCommand: AddCommand = (program: Command, io, setExitCode) => {
  program
    .command('migrate')
    .description('Create or upgrade the database schema (DATABASE_URL, OPD_DATA_DIR) and exit')
    .action(async () => {
      let config;
      try {
        config = loadConfig(io.env);
      } catch (err) {
        io.stderr.write(`opd migrate: ${(err as Error).message}\n`);
        setExitCode(2);
        return;
      }
      const { openStore } = await import('../store/open-store.ts');
      const store = await openStore(config.store);
      await store.close();
      const where = config.store.kind === 'postgres' ? 'PostgreSQL' : config.store.file;
      io.stdout.write(`opd migrate: the schema of ${where} is up to date\n`);
      setExitCode(0);
    });
};
