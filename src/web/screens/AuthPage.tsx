// The frame of the pages shown before anyone is signed in (sign-in, set-up): the brand and one card,
// readable on a phone and on a desk PC.

import type { ReactNode } from 'react';

export function AuthPage({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="auth-page">
      <header className="auth-brand">
        <span aria-hidden="true" className="brand-mark">+</span> OPD tokens
      </header>
      <main className="card auth-card">
        <h1 id="auth-title">{title}</h1>
        {children}
      </main>
    </div>
  );
}

/** The server's words ("wrong username or password") as a sentence of the page. */
export function sentence(text: string): string {
  const t = text.trim();
  if (t === '') return t;
  const first = t[0]!.toUpperCase() + t.slice(1);
  return /[.!?]$/.test(first) ? first : `${first}.`;
}
