// API keys, for machines (Authorization: Bearer …): the list, a new key with a role (a doctor key
// names its doctors, a display key its board's), its secret shown once, and revoking.

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { ApiKey, DoctorScope, Role } from '../../access-types.ts';
import { ROLE_LABEL, when, sentence } from '../../access.ts';
import { api, errorText } from '../../api.ts';
import { ConfirmDialog } from '../../components/Dialog.tsx';
import { NoticeLine, type Notice } from '../../components/Notice.tsx';
import { useClock, useDoctors } from '../../hooks.ts';
import { FormError, TextField, useFormErrors, type Errors } from './field-errors.tsx';
import { bindingFor, DoctorChoice, doctorNames, RoleSelect, ShownOnce, takesDoctors } from './shared.tsx';

const KEY_FIELDS = { '/name': 'name', '/doctorIds': 'doctors', '/role': 'role' } as const;
type KeyField = (typeof KEY_FIELDS)[keyof typeof KEY_FIELDS];
const KEYS = ['api-keys'] as const;

export function ApiKeysAdmin() {
  const keys = useQuery({ queryKey: KEYS, queryFn: api.apiKeys });
  const doctors = useDoctors().data ?? [];
  const zone = useClock().data?.timeZone;
  const queryClient = useQueryClient();
  const [notice, setNotice] = useState<Notice | null>(null);
  const [created, setCreated] = useState<{ name: string; secret: string } | null>(null);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('desk');
  const [chosen, setChosen] = useState<DoctorScope>([]);
  const refresh = () => queryClient.invalidateQueries({ queryKey: KEYS });
  const errors = useFormErrors<KeyField>(KEY_FIELDS);

  const create = useMutation({
    mutationFn: () => api.createApiKey({ name: name.trim(), role, doctorIds: bindingFor(role, chosen) }),
    onSuccess: ({ key, secret }) => {
      setCreated({ name: key.name, secret });
      setNotice(null);
      setName('');
      setChosen([]);
      errors.clear();
      void refresh();
    },
    onError: errors.refused,
  });
  const revoke = useMutation({
    mutationFn: (k: ApiKey) => api.revokeApiKey(k.id),
    onSuccess: (_v, k) => {
      setNotice({ kind: 'ok', headline: `Key ${k.name} revoked: it works no more` });
      void refresh();
    },
    onError: (err) => setNotice({ kind: 'error', headline: sentence(errorText(err)) }),
    onSettled: () => setRevoking(null),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const found: Errors<KeyField> = {};
    if (name.trim() === '') found.name = 'Name is needed: say which system uses the key.';
    if (takesDoctors(role) && chosen !== 'all' && chosen.length === 0) found.doctors = `Choose the doctors of this ${ROLE_LABEL[role].toLowerCase()} key.`;
    if (errors.check(found)) create.mutate();
  };

  return (
    <div className="admin admin-one">
      <section className="card" aria-labelledby="keys-title">
        <h2 id="keys-title">API keys</h2>
        <p className="muted">For other systems: they send the key as <code>Authorization: Bearer …</code>.</p>
        {keys.isError && <p className="error">{errorText(keys.error)}</p>}
        {keys.data?.length === 0 && <p className="empty">No API keys.</p>}
        <ul className="entities" data-testid="api-keys">
          {keys.data?.map((k) => (
            <li key={k.id} data-name={k.name} className={k.revokedAt ? 'off' : undefined}>
              <div className="entity-what">
                <strong>{k.name}</strong> {k.revokedAt && <span className="badge off">revoked</span>}
                <div className="entity-meta">
                  {ROLE_LABEL[k.role]}
                  {takesDoctors(k.role) && <> · {doctorNames(k.doctorIds, doctors)}</>}
                  {k.createdAt !== undefined && <> · made {when(k.createdAt, zone)}</>}
                  {k.lastUsedAt ? <> · last used {when(k.lastUsedAt, zone)}</> : ' · never used'}
                </div>
              </div>
              {!k.revokedAt && (
                <div className="entity-actions">
                  <button type="button" className="small danger" onClick={() => setRevoking(k)} aria-label={`Revoke key ${k.name}`}>
                    Revoke
                  </button>
                </div>
              )}
            </li>
          ))}
        </ul>
        <NoticeLine notice={notice} testId="keys-notice" />
      </section>
      <section className="card" aria-labelledby="new-key-title">
        <h2 id="new-key-title">New API key</h2>
        {created ? (
          <ShownOnce title={`Key ${created.name}`} label="The key" value={created.secret} onDone={() => setCreated(null)} testId="new-key" />
        ) : (
          <form className="stack-form" onSubmit={submit} noValidate>
            <TextField
              label="Name"
              hint="(which system uses it)"
              id="key-name"
              name="keyName"
              value={name}
              required
              maxLength={100}
              autoComplete="off"
              onValue={setName}
              form={errors}
              field="name"
            />
            <RoleSelect name="keyRole" value={role} onChange={setRole} />
            {takesDoctors(role) && (
              <DoctorChoice
                doctors={doctors}
                value={chosen}
                onChange={setChosen}
                legend="Doctors of this key"
                allowAll={role === 'display'}
                id="key-doctors"
                form={errors}
              />
            )}
            <FormError text={errors.general} />
            <button type="submit" className="primary" disabled={create.isPending}>
              Create key
            </button>
          </form>
        )}
      </section>
      {revoking && (
        <ConfirmDialog
          title={`Revoke key ${revoking.name}?`}
          message="Whatever uses this key is refused from its next request on. This cannot be undone: a new key would be needed."
          confirmLabel={`Revoke ${revoking.name}`}
          busy={revoke.isPending}
          onConfirm={() => revoke.mutate(revoking)}
          onCancel={() => setRevoking(null)}
        />
      )}
    </div>
  );
}
