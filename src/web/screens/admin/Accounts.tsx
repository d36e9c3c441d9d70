// Staff accounts: the list (who, role, doctors, enabled), adding one (a doctor account names its
// doctors), disabling and enabling, a new password, a new role. The server refuses what would leave
// no enabled administrator (LAST_ADMIN) and says so in its own words.

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { Account, DoctorScope, Role } from '../../access-types.ts';
import { MIN_PASSWORD_LENGTH, newPasswordProblem, ROLE_LABEL, sentence } from '../../access.ts';
import { api, errorText, type Doctor } from '../../api.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { NoticeLine, type Notice } from '../../components/Notice.tsx';
import { useDoctors } from '../../hooks.ts';
import { useMe } from '../../session.tsx';
import { FormError, TextField, useFormErrors, usernameProblem, type Errors } from './field-errors.tsx';
import { bindingFor, DoctorChoice, doctorNames, RoleSelect, takesDoctors } from './shared.tsx';

const ACCOUNTS = ['accounts'] as const;
const STAFF_ROLES: readonly Role[] = ['admin', 'desk', 'doctor'];

type PasswordField = 'password' | 'again';
/** A new password's problem at its field: too short at the first, not the same at the second. */
function passwordErrors(password: string, again: string): Errors<PasswordField> {
  const why = newPasswordProblem(password, again);
  if (why === null) return {};
  return [...password].length < MIN_PASSWORD_LENGTH ? { password: why } : { again: why };
}
const NO_DOCTOR = 'Choose the doctor (or doctors) of this account.';
const ACCOUNT_FIELDS = { '/username': 'username', '/displayName': 'displayName', '/password': 'password', '/doctorIds': 'doctors', '/role': 'role' } as const;
type AccountField = (typeof ACCOUNT_FIELDS)[keyof typeof ACCOUNT_FIELDS] | 'again';

export function AccountsAdmin() {
  const accounts = useQuery({ queryKey: ACCOUNTS, queryFn: api.accounts });
  const doctors = useDoctors().data ?? [];
  const me = useMe();
  const queryClient = useQueryClient();
  const [notice, setNotice] = useState<Notice | null>(null);
  const [editing, setEditing] = useState<{ account: Account; what: 'role' | 'password' } | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: ACCOUNTS });

  const toggle = useMutation({
    mutationFn: (a: Account) => api.updateAccount(a.id, { disabled: !a.disabled }),
    onSuccess: (a) => {
      setNotice({ kind: 'ok', headline: a.disabled ? `${a.displayName} is disabled: they cannot sign in` : `${a.displayName} is enabled again` });
      void refresh();
    },
    onError: (err) => setNotice({ kind: 'error', headline: sentence(errorText(err)) }),
  });

  return (
    <div className="admin admin-one">
      <section className="card" aria-labelledby="accounts-title">
        <h2 id="accounts-title">Accounts</h2>
        {accounts.isError && <p className="error">{errorText(accounts.error)}</p>}
        {accounts.data?.length === 0 && <p className="empty">No accounts yet.</p>}
        <ul className="entities" data-testid="accounts">
          {accounts.data?.map((a) => (
            <li key={a.id} data-username={a.username} className={a.disabled ? 'off' : undefined}>
              <div className="entity-what">
                <strong>{a.displayName}</strong> <span className="muted">{a.username}</span>
                {a.id === me.id && <span className="badge you">you</span>}
                {a.disabled && <span className="badge off">disabled</span>}
                <div className="entity-meta">
                  {ROLE_LABEL[a.role]}
                  {takesDoctors(a.role) && <> · {doctorNames(a.doctorIds, doctors)}</>}
                </div>
              </div>
              <div className="entity-actions">
                <button type="button" className="small" onClick={() => setEditing({ account: a, what: 'role' })} aria-label={`Change role of ${a.username}`}>
                  Change role
                </button>
                <button type="button" className="small" onClick={() => setEditing({ account: a, what: 'password' })} aria-label={`Reset password of ${a.username}`}>
                  Reset password
                </button>
                <button
                  type="button"
                  className={`small${a.disabled ? '' : ' danger'}`}
                  disabled={toggle.isPending}
                  onClick={() => toggle.mutate(a)}
                  aria-label={`${a.disabled ? 'Enable' : 'Disable'} ${a.username}`}
                >
                  {a.disabled ? 'Enable' : 'Disable'}
                </button>
              </div>
            </li>
          ))}
        </ul>
        <NoticeLine notice={notice} testId="accounts-notice" />
      </section>
      <AddAccount doctors={doctors} onNotice={setNotice} onAdded={refresh} />
      {editing?.what === 'role' && <RoleDialog account={editing.account} doctors={doctors} onNotice={setNotice} onClose={() => setEditing(null)} onSaved={refresh} />}
      {editing?.what === 'password' && <PasswordDialog account={editing.account} onNotice={setNotice} onClose={() => setEditing(null)} />}
    </div>
  );
}

function AddAccount({ doctors, onNotice, onAdded }: { doctors: Doctor[]; onNotice: (n: Notice) => void; onAdded: () => void }) {
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [role, setRole] = useState<Role>('desk');
  const [chosen, setChosen] = useState<DoctorScope>([]);
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  const errors = useFormErrors<AccountField>(ACCOUNT_FIELDS, { USERNAME_TAKEN: 'username' });
  const add = useMutation({
    mutationFn: () => api.createAccount({ username: username.trim(), displayName: displayName.trim() || username.trim(), role, doctorIds: bindingFor(role, chosen), password }),
    onSuccess: (a) => {
      onNotice({ kind: 'ok', headline: `Added ${a.displayName} (${a.username}), ${ROLE_LABEL[a.role].toLowerCase()}` });
      setUsername('');
      setDisplayName('');
      setPassword('');
      setAgain('');
      setChosen([]);
      errors.clear();
      onAdded();
    },
    onError: errors.refused,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const found: Errors<AccountField> = { ...passwordErrors(password, again) };
    const badName = usernameProblem(username);
    if (badName) found.username = badName;
    if (role === 'doctor' && (chosen === 'all' || chosen.length === 0)) found.doctors = NO_DOCTOR;
    if (errors.check(found)) add.mutate();
  };
  return (
    <section className="card" aria-labelledby="add-account-title">
      <h2 id="add-account-title">Add an account</h2>
      <form className="stack-form" onSubmit={submit} noValidate>
        <div className="row2">
          <TextField
            label="Username"
            id="new-username"
            name="newUsername"
            value={username}
            required
            autoComplete="off"
            autoCapitalize="none"
            spellCheck={false}
            onValue={setUsername}
            form={errors}
            field="username"
          />
          <TextField
            label="Display name"
            hint="(optional)"
            id="new-display-name"
            name="newDisplayName"
            value={displayName}
            maxLength={100}
            autoComplete="off"
            onValue={setDisplayName}
            form={errors}
            field="displayName"
          />
        </div>
        <RoleSelect name="newRole" value={role} onChange={setRole} roles={STAFF_ROLES} />
        {role === 'doctor' && (
          <DoctorChoice
            doctors={doctors}
            value={chosen}
            onChange={setChosen}
            legend="Doctors of this account"
            id="new-account-doctors"
            form={errors}
          />
        )}
        <div className="row2">
          <TextField
            label="Password"
            hint={`(at least ${MIN_PASSWORD_LENGTH} characters)`}
            id="new-password"
            name="newPassword"
            type="password"
            value={password}
            required
            autoComplete="new-password"
            onValue={setPassword}
            form={errors}
            field="password"
          />
          <TextField
            label="Password again"
            id="new-password-again"
            name="newPasswordAgain"
            type="password"
            value={again}
            required
            autoComplete="new-password"
            onValue={setAgain}
            form={errors}
            field="again"
          />
        </div>
        <FormError text={errors.general} />
        <button type="submit" className="primary" disabled={add.isPending}>
          Add account
        </button>
      </form>
    </section>
  );
}

function RoleDialog({ account, doctors, onNotice, onClose, onSaved }: { account: Account; doctors: Doctor[]; onNotice: (n: Notice) => void; onClose: () => void; onSaved: () => void }) {
  const [role, setRole] = useState<Role>(account.role);
  const [chosen, setChosen] = useState<DoctorScope>(account.doctorIds);
  const errors = useFormErrors<AccountField>(ACCOUNT_FIELDS);
  const save = useMutation({
    mutationFn: () => api.updateAccount(account.id, { role, doctorIds: bindingFor(role, chosen) }),
    onSuccess: (a) => {
      onNotice({ kind: 'ok', headline: `${a.displayName} is now ${ROLE_LABEL[a.role].toLowerCase()}` });
      onSaved();
      onClose();
    },
    onError: errors.refused,
  });
  return (
    <Dialog
      title={`Role of ${account.displayName}`}
      onClose={onClose}
      footer={
        <>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" form="role-form" className="primary" disabled={save.isPending}>
            Save role
          </button>
        </>
      }
    >
      <form
        id="role-form"
        className="stack-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (errors.check(role === 'doctor' && (chosen === 'all' || chosen.length === 0) ? { doctors: NO_DOCTOR } : {})) save.mutate();
        }}
      >
        <RoleSelect name="role" value={role} onChange={setRole} roles={STAFF_ROLES} />
        {role === 'doctor' && (
          <DoctorChoice
            doctors={doctors}
            value={chosen}
            onChange={setChosen}
            legend="Doctors of this account"
            id="role-doctors"
            form={errors}
          />
        )}
        <p className="muted">Their open sessions follow the new role at their next request.</p>
        <FormError text={errors.general} />
      </form>
    </Dialog>
  );
}

function PasswordDialog({ account, onNotice, onClose }: { account: Account; onNotice: (n: Notice) => void; onClose: () => void }) {
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  const errors = useFormErrors<AccountField>(ACCOUNT_FIELDS);
  const save = useMutation({
    mutationFn: () => api.setPassword(account.id, password),
    onSuccess: () => {
      onNotice({ kind: 'ok', headline: `New password set for ${account.displayName}; they were signed out everywhere` });
      onClose();
    },
    onError: errors.refused,
  });
  return (
    <Dialog
      title={`New password for ${account.displayName}`}
      onClose={onClose}
      footer={
        <>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" form="password-form" className="primary" disabled={save.isPending}>
            Set password
          </button>
        </>
      }
    >
      <form
        id="password-form"
        className="stack-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (errors.check(passwordErrors(password, again))) save.mutate();
        }}
        noValidate
      >
        <TextField
          label="New password"
          hint={`(at least ${MIN_PASSWORD_LENGTH} characters)`}
          id="reset-password"
          name="resetPassword"
          type="password"
          value={password}
          required
          autoComplete="new-password"
          autoFocus
          onValue={setPassword}
          form={errors}
          field="password"
        />
        <TextField
          label="New password again"
          id="reset-password-again"
          name="resetPasswordAgain"
          type="password"
          value={again}
          required
          autoComplete="new-password"
          onValue={setAgain}
          form={errors}
          field="again"
        />
        <FormError text={errors.general} />
      </form>
    </Dialog>
  );
}
