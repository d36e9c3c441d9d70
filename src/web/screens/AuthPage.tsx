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
