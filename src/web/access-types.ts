// The shapes of the access answers (the access contract: /api/session, /api/setup, /api/accounts,
// /api/api-keys, /api/display-links), as the browser reads them. Declared here, not read from the
// API's zod schemas (src/api/access-schemas.ts) as api.ts does for the rest, because that file
// imports server code (the access service, node:crypto) that the browser's type-check cannot and
// should not read. test/access-types.test.ts makes `npm run typecheck` fail the day the two disagree.
// The role vocabulary itself is shared with the server (src/shared/vocabulary.ts, pure data).

import type { DoctorScope, Role } from '../shared/vocabulary.ts';

export type { DoctorScope, Role };

/** The doctors of a request's binding, as sent: a list, or all. */
export type DoctorIds = string[] | 'all';

/** Who is signed in: GET /api/session, and the answer to signing in or setting up. */
export interface Me {
  kind: 'account' | 'apiKey' | 'display';
  id: string;
  name: string;
  role: Role;
  doctorIds: DoctorScope;
  username?: string;
  idleMinutes?: number;
}

/** Times are ISO 8601 strings on the wire (epoch ms are accepted too, see `when` in access.ts). */
type Instant = string | number;

export interface Account {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  doctorIds: DoctorScope;
  disabled: boolean;
  createdAt?: Instant;
  updatedAt?: Instant;
}

export interface ApiKey {
  id: string;
  name: string;
  role: Role;
  doctorIds: DoctorScope;
  createdAt?: Instant;
  lastUsedAt?: Instant | null;
  revokedAt?: Instant | null;
}

export interface DisplayLink {
  id: string;
  name: string;
  doctorIds: DoctorScope;
  createdAt?: Instant;
  revokedAt?: Instant | null;
}

export interface SetupState {
  open: boolean;
}

export interface NewAccountBody {
  username: string;
  displayName: string;
  role: Role;
  doctorIds: DoctorIds;
  password: string;
}

export interface AccountPatch {
  displayName?: string;
  role?: Role;
  doctorIds?: DoctorIds;
  disabled?: boolean;
}

export interface SetupBody {
  code: string;
  username: string;
  displayName?: string;
  password: string;
}

export interface CreatedApiKey {
  key: ApiKey;
  secret: string;
}

export interface CreatedDisplayLink {
  link: DisplayLink;
  secret: string;
  /** `/display/<secret>`: the board's address, to be put in front of this server's origin. */
  path: string;
}
