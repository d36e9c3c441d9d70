// The credentials of machines and wall screens (SPEC 11): API keys (a role and its doctors, for
// another system) and display links (a waiting-room board's view of some doctors). Each is a random
// secret handed out once and kept only as its hash, resolved to an Actor, revoked at once; no password
// and no session. People (accounts, sessions, the first admin) are access-service.ts's, which offers
// these through its own methods.

import type { AccessRepository, ApiKeyRecord, DisplayLinkRecord } from '../store/access-repo.ts';
import { AccessError, checkName } from './access-errors.ts';
import { hashSecret, isSecretShaped, newSecret } from './passwords.ts';
import { bindingProblem, type DoctorScope, type Role } from './roles.ts';
import { TOUCH_EVERY_MS, type Actor } from './types.ts';

export type ApiKeyView = Omit<ApiKeyRecord, 'secretHash'>;
export type DisplayLinkView = Omit<DisplayLinkRecord, 'secretHash'>;

const apiKeyView = ({ secretHash: _hash, ...view }: ApiKeyRecord): ApiKeyView => view;
const displayLinkView = ({ secretHash: _hash, ...view }: DisplayLinkRecord): DisplayLinkView => view;

export class MachineCredentials {
  constructor(
    private readonly repo: AccessRepository,
    private readonly now: () => number,
    private readonly newId: () => string,
  ) {}

  // ---------------------------------------------------------------- API keys

  /** A key for a machine, with a role (and its doctors). Its secret is returned once, never again. */
  async createApiKey(input: { name: string; role: Role; doctorIds: DoctorScope }): Promise<{ key: ApiKeyView; secret: string }> {
    checkName("a key's name", input.name);
    const problem = bindingProblem(input.role, input.doctorIds);
    if (problem) throw new AccessError('VALIDATION_FAILED', problem);
    const secret = newSecret();
    const record: ApiKeyRecord = {
      id: this.newId(),
      name: input.name.trim(),
      role: input.role,
      doctorIds: input.doctorIds === 'all' ? 'all' : [...input.doctorIds],
      secretHash: hashSecret(secret),
      createdAt: this.now(),
      lastUsedAt: null,
      revokedAt: null,
    };
    await this.repo.insertApiKey(record);
    return { key: apiKeyView(record), secret };
  }

  async listApiKeys(): Promise<ApiKeyView[]> {
    return (await this.repo.listApiKeys()).map(apiKeyView);
  }

  /** The key's identity, or null for an unknown or revoked key. Last-used is written at most once a minute. */
  async resolveApiKey(secret: string): Promise<Actor | null> {
    if (!isSecretShaped(secret)) return null;
    const key = await this.repo.getApiKeyBySecretHash(hashSecret(secret));
    if (!key || key.revokedAt !== null) return null;
    const now = this.now();
    if (key.lastUsedAt === null || now - key.lastUsedAt >= TOUCH_EVERY_MS) await this.repo.touchApiKey(key.id, now);
    return { kind: 'apiKey', id: key.id, name: key.name, role: key.role, doctorIds: key.doctorIds };
  }

  /** Revokes at once; revoking a revoked key changes nothing. */
  async revokeApiKey(id: string): Promise<void> {
    const revoked = await this.repo.revokeApiKey(id, this.now());
    if (!revoked && !(await this.repo.listApiKeys()).some((k) => k.id === id)) throw new AccessError('NOT_FOUND', `no API key ${id}`);
  }

  // ---------------------------------------------------------------- display links

  /** A waiting-room board's link for some doctors (or all); its secret is returned once. */
  async createDisplayLink(input: { name: string; doctorIds: DoctorScope }): Promise<{ link: DisplayLinkView; secret: string }> {
    checkName("a board's name", input.name);
    const problem = bindingProblem('display', input.doctorIds);
    if (problem) throw new AccessError('VALIDATION_FAILED', problem);
    const secret = newSecret();
    const record: DisplayLinkRecord = {
      id: this.newId(),
      name: input.name.trim(),
      doctorIds: input.doctorIds === 'all' ? 'all' : [...input.doctorIds],
      secretHash: hashSecret(secret),
      createdAt: this.now(),
      revokedAt: null,
    };
    await this.repo.insertDisplayLink(record);
    return { link: displayLinkView(record), secret };
  }

  async listDisplayLinks(): Promise<DisplayLinkView[]> {
    return (await this.repo.listDisplayLinks()).map(displayLinkView);
  }

  /** The board's identity, or null for an unknown or revoked link. Never written to: a board polls all day. */
  async resolveDisplayLink(secret: string): Promise<Actor | null> {
    if (!isSecretShaped(secret)) return null;
    const link = await this.repo.getDisplayLinkBySecretHash(hashSecret(secret));
    if (!link || link.revokedAt !== null) return null;
    return { kind: 'display', id: link.id, name: link.name, role: 'display', doctorIds: link.doctorIds };
  }

  async revokeDisplayLink(id: string): Promise<void> {
    const revoked = await this.repo.revokeDisplayLink(id, this.now());
    if (!revoked && !(await this.repo.listDisplayLinks()).some((l) => l.id === id)) throw new AccessError('NOT_FOUND', `no display link ${id}`);
  }
}
