// The admin view (/admin?section=…): doctors and their slots and policy, staff accounts, API keys,
// display links and the reports, one section at a time (a phone shows one long column; the section stays in the
// address, so a reload keeps it).

import { lazy, Suspense, type MouseEvent } from 'react';
import { Header } from '../components/Header.tsx';
import { useUrlParam } from '../hooks.ts';
import { AccountsAdmin } from './admin/Accounts.tsx';
import { ApiKeysAdmin } from './admin/ApiKeys.tsx';
import { DisplayLinksAdmin } from './admin/DisplayLinks.tsx';
import { DoctorsAdmin } from './admin/Doctors.tsx';
import { RotaAdmin } from './admin/Rota.tsx';
import { SlipSettings } from '../slip/SlipSettings.tsx';

// The reports carry the charting library: loaded when the section is opened, not with the admin view.
const ReportsAdmin = lazy(() => import('./admin/Reports.tsx'));
import { PatientDataAdmin } from './admin/PatientData.tsx';

const SECTIONS = [
  ['doctors', 'Doctors and slots'],
  ['rota', 'Rota, leave and holidays'],
  ['accounts', 'Accounts'],
  ['keys', 'API keys'],
  ['displays', 'Display links'],
  ['slips', 'Slips'],
  ['reports', 'Reports'],
  ['patients', 'Patient data'],
] as const;
type Section = (typeof SECTIONS)[number][0];

export function Admin() {
  const [param, setParam] = useUrlParam('section');
  const section: Section = SECTIONS.some(([s]) => s === param) ? (param as Section) : 'doctors';
  const go = (s: Section) => (e: MouseEvent<HTMLAnchorElement>) => {
    if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return; // a new tab is the browser's
    e.preventDefault();
    setParam(s === 'doctors' ? undefined : s);
  };
  return (
    <div className="app">
      <Header title="Admin" />
      <nav className="sections" aria-label="Admin sections">
        {SECTIONS.map(([s, label]) => (
          <a key={s} href={s === 'doctors' ? '/admin' : `/admin?section=${s}`} aria-current={s === section ? 'page' : undefined} onClick={go(s)}>
            {label}
          </a>
        ))}
      </nav>
      <main className="admin-main">
        {section === 'doctors' && <DoctorsAdmin />}
        {section === 'rota' && <RotaAdmin />}
        {section === 'accounts' && <AccountsAdmin />}
        {section === 'keys' && <ApiKeysAdmin />}
        {section === 'displays' && <DisplayLinksAdmin />}
        {section === 'slips' && <SlipSettings />}
        {section === 'reports' && (
          <Suspense fallback={<p className="muted admin-loading">Opening the reports…</p>}>
            <ReportsAdmin />
          </Suspense>
        )}
        {section === 'patients' && <PatientDataAdmin />}
      </main>
    </div>
  );
}
