// The sign-in page (/signin?next=…): username and password; a refusal in plain words (a wrong name or
// password is said the same way for both; too many attempts says how long to wait). Signed in, the
// page goes back to where the person was (`next`, a path of this site only).

import { useMutation, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, ApiError, errorText } from '../api.ts';
import { safeReturnPath, tooManyAttemptsText, sentence } from '../access.ts';
import { rememberDisplay } from '../session.tsx';
import { AuthPage } from './AuthPage.tsx';

/** What to say when signing in was refused. */
export function signInRefusal(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.problem.status === 429) return tooManyAttemptsText(err.retryAfterSeconds);
    if (err.problem.status === 401) return 'Wrong username or password.';
  }
  return sentence(errorText(err));
}

export function SignIn() {
  const next = safeReturnPath(new URLSearchParams(window.location.search).get('next'));
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const setup = useQuery({ queryKey: ['setup'], queryFn: api.setupState, retry: false, staleTime: Infinity });
  const signIn = useMutation({
    mutationFn: () => api.signIn(username.trim(), password),
    onSuccess: () => {
      rememberDisplay(false);
      window.location.assign(next);
    },
    onError: () => setPassword(''),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    signIn.mutate();
  };
  return (
    <AuthPage title="Sign in">
      {next !== '/' && <p className="muted">Sign in to go on where you were.</p>}
      <form className="auth-form" onSubmit={submit} aria-labelledby="auth-title">
        <label>
          Username
          <input name="username" value={username} onChange={(e) => setUsername(e.target.value)} autoComplete="username" autoCapitalize="none" spellCheck={false} required autoFocus />
        </label>
        <label>
          Password
          <input name="password" type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="current-password" required />
        </label>
        <div aria-live="polite" data-testid="signin-error">
          {signIn.isError && (
            <p className="outcome outcome-error" role="alert">
              {signInRefusal(signIn.error)}
            </p>
          )}
        </div>
        <button type="submit" className="primary" disabled={signIn.isPending || signIn.isSuccess}>
          {signIn.isPending ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      {setup.data?.open && (
        <p className="auth-note">
          No administrator yet. Open the set-up link that the server printed when it started (it ends in <code>/setup#…</code>).
        </p>
      )}
      <p className="auth-note muted">Forgot your password? An administrator can set a new one.</p>
    </AuthPage>
  );
}
