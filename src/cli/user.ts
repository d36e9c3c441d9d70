// `opd user add | passwd | disable | enable | list`: staff accounts from the server's shell (SPEC 11),
// on the database `opd serve` uses (DATABASE_URL / OPD_DATA_DIR), while it runs or not. For the
// first admin when no browser is at hand, for a forgotten admin password, and for scripts.
// Exit codes: 0 done, 1 refused (a taken name, an unknown one, the last admin, a bad password),
// 2 a usage or configuration error.

import { resolve } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { AccessError } from '../access/access-errors.ts';
import type { AccessService, AccountView } from '../access/access-service.ts';
import { bindingProblem, ROLES, type DoctorScope, type Role } from '../access/roles.ts';
import { readConfig } from './arguments.ts';
import { PasswordInputError, readNewPassword } from './password-input.ts';
import type { AddCommand, CliIo } from './types.ts';

const roleArg = (v: string): Role => {
  if (!(ROLES as readonly string[]).includes(v)) throw new InvalidArgumentError(`must be one of ${ROLES.join(', ')}`);
  return v as Role;
};

const doctorsArg = (v: string): DoctorScope => {
  if (v === 'all') return 'all';
  const ids = v.split(',').map((s) => s.trim());
  if (ids.some((id) => id === '')) throw new InvalidArgumentError('must be doctor ids separated by commas, or all');
  return ids;
};

interface AddFlags {
  role: Role;
  name?: string;
  doctors?: DoctorScope;
  passwordStdin?: boolean;
}

export const addUserCommand: AddCommand = (program: Command, io, setExitCode) => {
  const user = program
    .command('user')
    .description('Staff accounts on the database the server uses (DATABASE_URL / OPD_DATA_DIR): add, passwd, disable, enable, list');

  user
    .command('add')
    .argument('<username>', '2–64 letters, digits and . _ - @')
    .description('Create an account; the password is asked twice without echo on a terminal, else read from the first line of standard input')
    .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`, roleArg)
    .option('--name <display name>', 'what histories show, e.g. "Anita (front desk)" (default: the username)')
    .option('--doctors <ids>', 'doctor ids separated by commas (a doctor account: its own; required for --role doctor); admin and desk: all', doctorsArg)
    .option('--password-stdin', 'read the password from the first line of standard input even on a terminal')
    .action(async (username: string, flags: AddFlags) =>
      setExitCode(
        await withAccess(io, 'user add', async (access) => {
          const doctorIds = flags.doctors ?? (flags.role === 'doctor' ? [] : 'all');
          // Said before the password is asked, so nobody types one for nothing.
          const problem = bindingProblem(flags.role, doctorIds);
          if (problem) throw new AccessError('VALIDATION_FAILED', flags.role === 'doctor' && flags.doctors === undefined ? `${problem}: add --doctors ID,ID` : problem);
          if (await access.findAccount(username)) throw new AccessError('USERNAME_TAKEN', `the username ${username} is taken`);
          const password = await readNewPassword(io, { fromStdin: flags.passwordStdin === true });
          const account = await access.createAccount({ username, displayName: flags.name ?? username, role: flags.role, doctorIds, password });
          return `created ${account.username} (${account.role}, ${doctorsText(account.doctorIds)})`;
        }),
      ),
    );

  user
    .command('passwd')
    .argument('<username>')
    .description("Set an account's password (asked twice without echo, or read from standard input); its sessions end")
    .option('--password-stdin', 'read the password from the first line of standard input even on a terminal')
    .action(async (username: string, flags: { passwordStdin?: boolean }) =>
      setExitCode(
        await withAccess(io, 'user passwd', async (access) => {
          const account = await known(access, username);
          const password = await readNewPassword(io, { fromStdin: flags.passwordStdin === true });
          await access.changePassword(account.id, password);
          return `the password of ${account.username} is set; its sessions ended`;
        }),
      ),
    );

  user
    .command('disable')
    .argument('<username>')
    .description('Disable an account: it cannot sign in, and its sessions end at once (never the last enabled admin)')
    .action(async (username: string) =>
      setExitCode(
        await withAccess(io, 'user disable', async (access) => {
          const account = await known(access, username);
          await access.disableAccount(account.id);
          return `${account.username} is disabled; its sessions ended`;
        }),
      ),
    );

  user
    .command('enable')
    .argument('<username>')
    .description('Enable a disabled account again (it signs in anew)')
    .action(async (username: string) =>
      setExitCode(
        await withAccess(io, 'user enable', async (access) => {
          const account = await known(access, username);
          await access.enableAccount(account.id);
          return `${account.username} is enabled`;
        }),
      ),
    );

  user
    .command('list')
    .description('List the accounts: username, role, doctors, enabled or disabled, display name')
    .action(async () => setExitCode(await withAccess(io, 'user list', async (access) => accountTable(await access.listAccounts()), { quiet: true })));
};

async function known(access: AccessService, username: string): Promise<AccountView> {
  const account = await access.findAccount(username);
  if (!account) throw new AccessError('NOT_FOUND', `there is no account ${username} (opd user list shows them)`);
  return account;
}

function doctorsText(scope: DoctorScope): string {
  return scope === 'all' ? 'all doctors' : scope.join(',');
}

function accountTable(accounts: AccountView[]): string {
  if (accounts.length === 0) return 'no accounts yet: `opd user add NAME --role admin` creates one, or open the set-up link `opd serve` prints';
  const rows = [['username', 'role', 'doctors', 'state', 'name'], ...accounts.map((a) => [a.username, a.role, doctorsText(a.doctorIds), a.disabled ? 'disabled' : 'enabled', a.displayName])];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => [...r[i]!].length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ')).join('\n');
}

/**
 * Opens the configured store, runs `work` with an access service on it, prints what it returns
 * (prefixed with the command's name unless `quiet`), and closes the store. The exit code.
 */
async function withAccess(io: CliIo, command: string, work: (access: AccessService) => Promise<string>, options: { quiet?: boolean } = {}): Promise<number> {
  const config = readConfig(io, command);
  if (!config) return 2;
  let where = config.store;
  if (where.kind === 'sqlite') {
    if (where.file === ':memory:') {
      io.stderr.write(`opd ${command}: DATABASE_URL=memory is a database of one server process; its accounts cannot be changed from outside it\n`);
      return 2;
    }
    where = { kind: 'sqlite', file: resolve(io.cwd, where.file) };
  }
  // Loaded on demand: `opd simulate` never pays for the database drivers or scrypt.
  const [{ openStore }, { AccessService }] = await Promise.all([import('../store/open-store.ts'), import('../access/access-service.ts')]);
  let store;
  try {
    store = await openStore(where);
  } catch (err) {
    io.stderr.write(`opd ${command}: could not open the database ${where.kind === 'postgres' ? 'PostgreSQL' : where.file}: ${(err as Error).message}\n`);
    return 1;
  }
  try {
    const access = new AccessService(store.access, { clock: { now: () => new Date() }, idleMinutes: config.sessionIdleMinutes });
    const said = await work(access);
    io.stdout.write(options.quiet ? `${said}\n` : `opd ${command}: ${said}\n`);
    return 0;
  } catch (err) {
    if (err instanceof AccessError || err instanceof PasswordInputError) {
      io.stderr.write(`opd ${command}: ${err.message}\n`);
      return 1;
    }
    throw err;
  } finally {
    await store.close();
  }
}
