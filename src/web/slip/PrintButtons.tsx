// The desk's Print buttons: one on each token row, and one under the issue form for the token just
// issued. A slip that cannot be read says why, next to the button.

import { useState, useSyncExternalStore } from 'react';
import { lastIssuedToken, onLastIssued, printSlip } from './slip.ts';

function usePrint(): [(token: { id: string }) => void, boolean, string | null] {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const print = (token: { id: string }) => {
    setBusy(true);
    setError(null);
    printSlip(token)
      .catch((err: unknown) => setError(err instanceof Error ? err.message : String(err)))
      .finally(() => setBusy(false));
  };
  return [print, busy, error];
}

export function PrintSlipButton({ token }: { token: { id: string; number: string } }) {
  const [print, busy, error] = usePrint();
  return (
    <>
      <button type="button" className="small" onClick={() => print(token)} disabled={busy} aria-label={`Print the slip of ${token.number}`}>
        Print
      </button>
      {error && (
        <span role="alert" className="error">
          {error}
        </span>
      )}
    </>
  );
}

export function PrintLastSlipButton() {
  const last = useSyncExternalStore(onLastIssued, lastIssuedToken);
  const [print, busy, error] = usePrint();
  if (last === null) return null;
  return (
    <div className="print-last">
      <button type="button" onClick={() => print(last)} disabled={busy} data-testid="print-last-slip">
        Print slip of {last.number}
      </button>
      {error && (
        <span role="alert" className="error">
          {error}
        </span>
      )}
    </div>
  );
}
