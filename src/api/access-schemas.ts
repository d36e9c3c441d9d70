// The HTTP shapes of account administration and the first-run set-up (SPEC 11): accounts, API keys,
// display links, `Me`. Requests are strict like the rest of the API; the service checks what zod
// cannot say well (a username's letters, a password's length in characters, a role's doctors) and
// answers VALIDATION_FAILED in its own words. Answers never carry a password hash nor a secret's
// hash; a new secret appears once, in the answer that made it.

import { z } from 'zod';
import type { AccountView, ApiKeyView, DisplayLinkView } from '../access/access-service.ts';
import { ROLES, type DoctorScope } from '../access/roles.ts';
import type { Actor } from '../access/types.ts';
import { formatIso } from '../time/local-time.ts';
import { Id, Instant, text } from './schemas.ts';

export const Role = z.enum(ROLES).describe('admin, desk, doctor or display (what each may do: docs/security.md).');
export const DoctorIds = z
  .union([z.literal('all'), z.array(Id).max(500)])
  .describe('The doctors the identity is bound to: `all`, or a list of doctor ids (a doctor account: its own; a board: the ones it shows).');
const Username = z.string().max(64).describe('2–64 characters: letters, digits and . _ - @, starting with a letter or digit. Unique in any letter case.');
const Password = z.string().max(1024).describe('10–256 characters; no rule about digits or symbols: length is what counts.');
const Name = text(100);

// ---------------------------------------------------------------- answers

export const Me = z
  .object({
    kind: z.enum(['account', 'apiKey', 'display']),
    id: z.string(),
    name: z.string(),
    role: Role,
    doctorIds: DoctorIds,
    username: z.string().optional(),
    idleMinutes: z.int().optional().describe('A session ends after this many minutes without a request.'),
  })
  .meta({ id: 'Me' });

export const Account = z
  .object({
    id: z.string(),
    username: z.string(),
    displayName: z.string(),
    role: Role,
    doctorIds: DoctorIds,
    disabled: z.boolean(),
    createdAt: Instant,
    updatedAt: Instant,
  })
  .meta({ id: 'Account' });

export const ApiKey = z
  .object({
    id: z.string(),
    name: z.string(),
    role: Role,
    doctorIds: DoctorIds,
    createdAt: Instant,
    lastUsedAt: Instant.nullable().describe('Written at most once a minute.'),
    revokedAt: Instant.nullable(),
  })
  .meta({ id: 'ApiKey' });

export const DisplayLink = z
  .object({ id: z.string(), name: z.string(), doctorIds: DoctorIds, createdAt: Instant, revokedAt: Instant.nullable() })
  .meta({ id: 'DisplayLink' });

const Secret = z.string().describe('Shown this once: the server keeps only its hash.');
export const NewApiKey = z.object({ key: ApiKey, secret: Secret.describe('Send it as `Authorization: Bearer <secret>`. Shown this once.') }).meta({ id: 'NewApiKey' });
export const NewDisplayLink = z
  .object({ link: DisplayLink, secret: Secret, path: z.string().describe('`/display/<secret>`: open it on the board screen.') })
  .meta({ id: 'NewDisplayLink' });
export const SetupState = z.object({ open: z.boolean().describe('True while no enabled admin exists.') }).meta({ id: 'SetupState' });

// ---------------------------------------------------------------- requests

export const CreateAccountBody = z.strictObject({ username: Username, displayName: Name, role: Role, doctorIds: DoctorIds, password: Password });
export const UpdateAccountBody = z
  .strictObject({
    displayName: Name.optional(),
    role: Role.optional().describe('Changed to admin or desk without doctorIds: all doctors.'),
    doctorIds: DoctorIds.optional(),
    disabled: z.boolean().optional().describe("true ends the account's sessions at once."),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), 'name at least one field to change');
export const PasswordBody = z.strictObject({ password: Password });
export const CreateApiKeyBody = z.strictObject({ name: Name, role: Role, doctorIds: DoctorIds });
export const CreateDisplayLinkBody = z.strictObject({ name: Name, doctorIds: DoctorIds });
export const SetupBody = z.strictObject({
  code: z.string().max(100).describe('The code after `#` in the set-up link the server printed.'),
  username: Username,
  displayName: Name.optional().describe('Default: the username.'),
  password: Password,
});
export const SecretParams = z.strictObject({ secret: z.string().max(100) });

// ---------------------------------------------------------------- views

const iso = (ms: number, timeZone: string) => formatIso(ms, timeZone);
const scope = (s: DoctorScope): string[] | 'all' => (s === 'all' ? 'all' : [...s]);
const isoOrNull = (ms: number | null, timeZone: string) => (ms === null ? null : formatIso(ms, timeZone));

export function accountOut(a: AccountView, timeZone: string): z.input<typeof Account> {
  return { ...a, doctorIds: scope(a.doctorIds), createdAt: iso(a.createdAt, timeZone), updatedAt: iso(a.updatedAt, timeZone) };
}

export function apiKeyOut(k: ApiKeyView, timeZone: string): z.input<typeof ApiKey> {
  return { ...k, doctorIds: scope(k.doctorIds), createdAt: iso(k.createdAt, timeZone), lastUsedAt: isoOrNull(k.lastUsedAt, timeZone), revokedAt: isoOrNull(k.revokedAt, timeZone) };
}

export function displayLinkOut(l: DisplayLinkView, timeZone: string): z.input<typeof DisplayLink> {
  return { ...l, doctorIds: scope(l.doctorIds), createdAt: iso(l.createdAt, timeZone), revokedAt: isoOrNull(l.revokedAt, timeZone) };
}

/** `Me` of a signed-in account. */
export function accountMe(actor: Actor, username: string, idleMinutes: number): z.input<typeof Me> {
  if (actor.role === 'system' || actor.kind === 'system') throw new Error('the system has no sign-in');
  return { kind: actor.kind, id: actor.id, name: actor.name, role: actor.role, doctorIds: scope(actor.doctorIds), username, idleMinutes };
}
