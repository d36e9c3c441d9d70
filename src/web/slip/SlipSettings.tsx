// The admin's choice of slip paper (a hospital setting): the printer at the desk is an 80 mm thermal
// roll, or a sheet printer with A6 or A5 paper. Slips printed from then on use it.

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { NoticeLine, type Notice } from '../components/Notice.tsx';
import type { SlipLayout } from './slip.ts';

const LAYOUTS: [SlipLayout, string, string][] = [
  ['roll-80mm', '80 mm thermal roll', 'A receipt printer at the desk: the slip is as long as it needs to be.'],
  ['a6', 'A6 paper', 'A sheet printer with A6 paper (105 × 148 mm).'],
  ['a5', 'A5 paper', 'A sheet printer with A5 paper (148 × 210 mm): the largest number.'],
];
const SETTINGS = ['settings'] as const;

async function json<T>(res: Response): Promise<T> {
  const body = (await res.json().catch(() => null)) as (T & { detail?: string }) | null;
  if (!res.ok) throw new Error(body?.detail ?? `The server answered ${res.status}.`);
  return body as T;
}

export function SlipSettings() {
  const queryClient = useQueryClient();
  const settings = useQuery({
    queryKey: SETTINGS,
    queryFn: async () => json<{ slipLayout: SlipLayout }>(await fetch('/api/settings', { credentials: 'same-origin' })),
  });
  const [notice, setNotice] = useState<Notice | null>(null);
  const save = useMutation({
    mutationFn: async (slipLayout: SlipLayout) =>
      json<{ slipLayout: SlipLayout }>(
        await fetch('/api/settings', { method: 'PUT', credentials: 'same-origin', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ slipLayout }) }),
      ),
    onSuccess: (saved) => {
      queryClient.setQueryData(SETTINGS, saved);
      setNotice({ kind: 'ok', headline: `Slips now print on ${LAYOUTS.find(([l]) => l === saved.slipLayout)?.[1] ?? saved.slipLayout}.` });
    },
    onError: (err) => setNotice({ kind: 'error', headline: err instanceof Error ? err.message : String(err) }),
  });
  const current = settings.data?.slipLayout;
  return (
    <div className="admin admin-one">
      <section className="card" aria-labelledby="slips-title">
        <h2 id="slips-title">Slips</h2>
        <p className="muted">The paper of the desk&apos;s printer. Each slip shows the token number, the doctor and room, the expected time and a code the patient scans to follow the token.</p>
        {settings.isError && <p className="error">{settings.error instanceof Error ? settings.error.message : 'The settings could not be read.'}</p>}
        <fieldset className="slip-layouts" disabled={current === undefined || save.isPending}>
          <legend>Slip paper</legend>
          {LAYOUTS.map(([layout, label, hint]) => (
            <label key={layout} className="check">
              <input type="radio" name="slipLayout" value={layout} checked={current === layout} onChange={() => save.mutate(layout)} />
              <span>
                <strong>{label}</strong> <span className="muted">{hint}</span>
              </span>
            </label>
          ))}
        </fieldset>
        <NoticeLine notice={notice} testId="slip-settings-outcome" />
      </section>
    </div>
  );
}
