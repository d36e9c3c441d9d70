// `opd serve`: the HTTP API (SPEC 10). Configuration comes from the environment handed in by the CLI
// (PORT, HOST, DATABASE_URL, OPD_DATA_DIR, OPD_TIMEZONE, OPD_CLOCK, LOG_LEVEL), read and checked once.

import type { Command } from 'commander';
import type { AddCommand } from './types.ts';
import { loadConfig } from '../config.ts';

export const addServeCommand: AddCommand = (program: Command, io, setExitCode) => {
  program
    .command('serve')
    .description('Run the HTTP API, its docs at /docs and the live event feed (configured by environment: PORT, DATABASE_URL, OPD_TIMEZONE, OPD_CLOCK…)')
    .action(async () => {
      let config;
      try {
        config = loadConfig(io.env);
      } catch (err) {
        io.stderr.write(`opd serve: ${(err as Error).message}\n`);
        setExitCode(2);
        return;
      }
      // Loaded on demand: `opd simulate` never pays for Fastify or the database drivers.
      const { startServer } = await import('../api/server.ts');
      const server = await startServer(config, io);
      await server.closed;
      setExitCode(0);
    });
};
