// What several commands share: argument parsers (a bad value is a usage error, exit code 2, that
// says what was expected) and reading the configuration from the environment handed in.

import { InvalidArgumentError } from 'commander';
import { loadConfig, type Config } from '../config.ts';
import { localToEpoch } from '../time/local-time.ts';
import type { CliIo } from './types.ts';

/** A calendar date, YYYY-MM-DD, that exists. */
export const dateArg = (v: string): string => {
  try {
    localToEpoch(v, '00:00', 'UTC');
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
  return v;
};

/** The configuration from the environment, or null after saying what is wrong (the caller exits with 2). */
export function readConfig(io: CliIo, command: string): Config | null {
  try {
    return loadConfig(io.env);
  } catch (err) {
    io.stderr.write(`opd ${command}: ${(err as Error).message}\n`);
    return null;
  }
}

/** The embedded database file the configuration names, or null after saying why there is none. */
export function sqliteFile(config: Config, io: CliIo, command: string, postgresAdvice: string): string | null {
  if (config.store.kind === 'postgres') {
    io.stderr.write(`opd ${command}: DATABASE_URL names PostgreSQL; ${postgresAdvice}\n`);
    return null;
  }
  if (config.store.file === ':memory:') {
    io.stderr.write(`opd ${command}: DATABASE_URL=memory is a database of one server process, gone when it stops; there is no file to ${command}\n`);
    return null;
  }
  return config.store.file;
}

/** `1 token`, `1,234 tokens`. */
export function plural(n: number, word: string): string {
  return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
}
