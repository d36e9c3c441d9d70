// First-run set-up (/setup#<code>): the link the server prints on an empty database. The code is read
// from the address's fragment (never sent to the server's logs) and taken out of the address bar at
// once. The first administrator chooses a username, a display name and a password (typed twice); then
// they are signed in and go to the admin view.

import { useMutation, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, ApiError, errorText } from '../api.ts';
import { MIN_PASSWORD_LENGTH, newPasswordProblem, sentence } from '../access.ts';
import { rememberDisplay } from '../session.tsx';
import { AuthPage } from './AuthPage.tsx';

/** The set-up code of the address, and the address without it. */
function takeCode(): string {
  const code = decodeURIComponent(window.location.hash.replace(/^#/, ''));
  if (code !== '') window.history.replaceState(null, '', window.location.pathname + window.location.search);
  return code;
}

function setupRefusal(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.problem.code === 'SETUP_CLOSED') return 'Set-up is closed: an administrator exists already. Sign in, or ask an administrator for an account.';
    if (err.problem.status === 401) return 'This set-up link is wrong, used or expired. Start the server again to print a new one.';
    if (err.problem.status === 429) return 'Too many attempts. Wait a few minutes, then try again.';
  }
  return sentence(errorText(err));
}

export function Setup() {
  const [code] = useState(takeCode);
  const state = useQuery({ queryKey: ['setup'], queryFn: api.setupState, retry: false });
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const setup = useMutation({
    mutationFn: () => api.setup({ code, username: username.trim(), password, ...(displayName.trim() ? { displayName: displayName.trim() } : {}) }),
    onSuccess: () => {
      rememberDisplay(false);
      window.location.assign('/admin');
    },
    onError: (err) => setProblem(setupRefusal(err)),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const why = newPasswordProblem(password, again);
    setProblem(why);
    if (why === null) setup.mutate();
  };

  if (state.data && !state.data.open) {
    return (
      <AuthPage title="Set-up is done">
        <p>An administrator exists already, so this link no longer works.</p>
        <p>
          <a href="/signin">Sign in</a>, or ask an administrator for an account.
        </p>
      </AuthPage>
    );
  }
  if (code === '') {
    return (
      <AuthPage title="Set up OPD tokens">
        <p>This page needs the set-up link that the server printed when it started for the first time. It ends in <code>/setup#</code> and a code.</p>
        <p>
          Already set up? <a href="/signin">Sign in</a>.
        </p>
      </AuthPage>
    );
  }
  return (
    <AuthPage title="Set up OPD tokens">
      <p className="muted">Create the first administrator. They can then add the other accounts.</p>
      <form className="auth-form" onSubmit={submit} aria-labelledby="auth-title">
        <label>
          Username
          <input name="username" value={username} onChange={(e) => setUsername(e.target.value)} autoComplete="username" autoCapitalize="none" spellCheck={false} required pattern="[A-Za-z0-9][A-Za-z0-9._@\-]{1,63}" title="2–64 letters, digits and . _ - @" autoFocus />
        </label>
        <label>
          Display name <span className="optional">(shown in histories; optional)</span>
          <input name="displayName" value={displayName} onChange={(e) => setDisplayName(e.target.value)} autoComplete="name" maxLength={100} />
        </label>
        <label>
          Password <span className="optional">(at least {MIN_PASSWORD_LENGTH} characters)</span>
          <input name="password" type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="new-password" required minLength={MIN_PASSWORD_LENGTH} />
        </label>
        <label>
          Password again
          <input name="passwordAgain" type="password" value={again} onChange={(e) => setAgain(e.target.value)} autoComplete="new-password" required />
        </label>
        <div aria-live="polite" data-testid="setup-error">
          {problem && (
            <p className="outcome outcome-error" role="alert">
              {problem}
            </p>
          )}
        </div>
        <button type="submit" className="primary" disabled={setup.isPending || setup.isSuccess}>
          {setup.isPending ? 'Creating…' : 'Create administrator and sign in'}
        </button>
      </form>
    </AuthPage>
  );
}
