// Display links: a waiting-room screen opens its board with one, without a staff account. The list,
// a new link (a name, its doctors and the board's languages) whose full address is shown once, and
// revoking, which blanks that screen at its next request. The languages ride on the address
// (`?lang=hi`, `?lang=en,hi`): the link page passes them on to the board (board/settings.ts).

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { DisplayLink, DoctorScope } from '../../access-types.ts';
import { when, sentence } from '../../access.ts';
import { api, errorText } from '../../api.ts';
import { ConfirmDialog } from '../../components/Dialog.tsx';
import { NoticeLine, type Notice } from '../../components/Notice.tsx';
import { useClock, useDoctors } from '../../hooks.ts';
import { FormError, TextField, useFormErrors, type Errors } from './field-errors.tsx';
import { bindingFor, DoctorChoice, doctorNames, ShownOnce } from './shared.tsx';

const LINK_FIELDS = { '/name': 'name', '/doctorIds': 'doctors' } as const;
type LinkField = (typeof LINK_FIELDS)[keyof typeof LINK_FIELDS];
const LINKS = ['display-links'] as const;

/** The board's languages a link may carry; English alone needs nothing in the address. */
const BOARD_LANGUAGES = [
  { value: 'en', label: 'English' },
  { value: 'hi', label: 'Hindi' },
  { value: 'en,hi', label: 'English and Hindi, in turn' },
  { value: 'hi,en', label: 'Hindi and English, in turn' },
] as const;

export function DisplayLinksAdmin() {
  const links = useQuery({ queryKey: LINKS, queryFn: api.displayLinks });
  const doctors = useDoctors().data ?? [];
  const zone = useClock().data?.timeZone;
  const queryClient = useQueryClient();
  const [notice, setNotice] = useState<Notice | null>(null);
  const [created, setCreated] = useState<{ name: string; url: string } | null>(null);
  const [revoking, setRevoking] = useState<DisplayLink | null>(null);
  const [name, setName] = useState('');
  const [chosen, setChosen] = useState<DoctorScope>([]);
  const [lang, setLang] = useState('en');
  const refresh = () => queryClient.invalidateQueries({ queryKey: LINKS });
  const errors = useFormErrors<LinkField>(LINK_FIELDS);

  const create = useMutation({
    mutationFn: (languages: string) => api.createDisplayLink({ name: name.trim(), doctorIds: bindingFor('display', chosen) }).then((made) => ({ ...made, languages })),
    onSuccess: ({ link, path, languages }) => {
      setCreated({ name: link.name, url: `${window.location.origin}${path}${languages === 'en' ? '' : `?lang=${languages}`}` });
      setNotice(null);
      setName('');
      setChosen([]);
      errors.clear();
      void refresh();
    },
    onError: errors.refused,
  });
  const revoke = useMutation({
    mutationFn: (l: DisplayLink) => api.revokeDisplayLink(l.id),
    onSuccess: (_v, l) => {
      setNotice({ kind: 'ok', headline: `Link ${l.name} revoked: its screen goes blank` });
      void refresh();
    },
    onError: (err) => setNotice({ kind: 'error', headline: sentence(errorText(err)) }),
    onSettled: () => setRevoking(null),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const found: Errors<LinkField> = {};
    if (name.trim() === '') found.name = 'Name is needed: say where the screen hangs.';
    if (chosen !== 'all' && chosen.length === 0) found.doctors = 'Choose the doctors this screen shows, or all doctors.';
    if (errors.check(found)) create.mutate(lang);
  };

  return (
    <div className="admin admin-one">
      <section className="card" aria-labelledby="links-title">
        <h2 id="links-title">Display links</h2>
        <p className="muted">A waiting-room screen opens its board with its link: numbers only, no staff account needed.</p>
        {links.isError && <p className="error">{errorText(links.error)}</p>}
        {links.data?.length === 0 && <p className="empty">No display links.</p>}
        <ul className="entities" data-testid="display-links">
          {links.data?.map((l) => (
            <li key={l.id} data-name={l.name} className={l.revokedAt ? 'off' : undefined}>
              <div className="entity-what">
                <strong>{l.name}</strong> {l.revokedAt && <span className="badge off">revoked</span>}
                <div className="entity-meta">
                  {doctorNames(l.doctorIds, doctors)}
                  {l.createdAt !== undefined && <> · made {when(l.createdAt, zone)}</>}
                </div>
              </div>
              {!l.revokedAt && (
                <div className="entity-actions">
                  <button type="button" className="small danger" onClick={() => setRevoking(l)} aria-label={`Revoke link ${l.name}`}>
                    Revoke
                  </button>
                </div>
              )}
            </li>
          ))}
        </ul>
        <NoticeLine notice={notice} testId="links-notice" />
      </section>
      <section className="card" aria-labelledby="new-link-title">
        <h2 id="new-link-title">New display link</h2>
        {created ? (
          <ShownOnce title={`Link ${created.name}`} label="Open this address on the screen" value={created.url} onDone={() => setCreated(null)} testId="new-link" />
        ) : (
          <form className="stack-form" onSubmit={submit} noValidate>
            <TextField
              label="Name"
              hint="(where the screen hangs)"
              id="link-name"
              name="linkName"
              value={name}
              required
              maxLength={100}
              autoComplete="off"
              onValue={setName}
              form={errors}
              field="name"
            />
            <DoctorChoice
              doctors={doctors}
              value={chosen}
              onChange={setChosen}
              legend="Doctors on this board"
              allowAll
              id="link-doctors"
              form={errors}
            />
            <label>
              Board languages <span className="optional">(shown and spoken)</span>
              <select name="boardLanguages" value={lang} onChange={(e) => setLang(e.target.value)}>
                {BOARD_LANGUAGES.map((l) => (
                  <option key={l.value} value={l.value}>
                    {l.label}
                  </option>
                ))}
              </select>
            </label>
            <FormError text={errors.general} />
            <button type="submit" className="primary" disabled={create.isPending}>
              Create link
            </button>
          </form>
        )}
      </section>
      {revoking && (
        <ConfirmDialog
          title={`Revoke link ${revoking.name}?`}
          message="The screen that uses this link goes blank at its next update and says the link was revoked. A new link would be needed."
          confirmLabel={`Revoke ${revoking.name}`}
          busy={revoke.isPending}
          onConfirm={() => revoke.mutate(revoking)}
          onCancel={() => setRevoking(null)}
        />
      )}
    </div>
  );
}
