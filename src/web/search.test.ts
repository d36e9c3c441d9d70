// The desk's search box, client side: the address it asks (against the search contract), the answer
// read through a stand-in fetch, and the results as they render (status, doctor, day, the actions the
// server allows as buttons; Transfer only where the desk has the dialog).

import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { api, searchPath, type SearchResult, type Token } from './api.ts';
import { phoneWords, SearchResults } from './components/SearchBox.tsx';

afterEach(() => vi.unstubAllGlobals());

const token = (over: Partial<Token>): Token => ({
  id: 't1',
  number: 'GM-007',
  doctorId: 'd1',
  slotId: 's1',
  source: 'ONLINE',
  status: 'ALLOCATED',
  patient: { name: 'Asha Verma', phone: '+919845011111' },
  issuedAt: '2026-03-10T08:10:00+05:30',
  estimatedAt: '2026-03-10T09:24:00+05:30',
  bumps: 0,
  skips: 0,
  ...over,
});
const result = (over: Partial<SearchResult> = {}, t: Partial<Token> = {}): SearchResult => ({
  token: token(t),
  doctor: { id: 'd1', name: 'Dr Asha Rao', code: 'GM', department: 'General Medicine' },
  date: '2026-03-10',
  actions: ['checkIn', 'cancel', 'noShow', 'transfer'],
  ...over,
});

describe('the address of a search', () => {
  it('sends the text trimmed, as the q parameter, with the day and days only when given', () => {
    expect(searchPath('  +91 98450 11111 ')).toBe('/api/tokens?q=%2B91+98450+11111');
    expect(searchPath('gm 7', { date: '2026-03-10' })).toBe('/api/tokens?q=gm+7&date=2026-03-10');
    expect(searchPath('Asha', { date: '2026-03-10', days: 3 })).toBe('/api/tokens?q=Asha&date=2026-03-10&days=3');
    expect(searchPath('आशा')).toBe(`/api/tokens?q=${encodeURIComponent('आशा')}`);
  });

  it('asks nothing for a blank box or a text longer than the API takes', () => {
    expect(searchPath('   ')).toBeNull();
    expect(searchPath('x'.repeat(101))).toBeNull();
    expect(searchPath('x'.repeat(100))).not.toBeNull();
    // counted in characters as the API counts them (code points), not UTF-16 units
    expect(searchPath('𑀅'.repeat(100))).not.toBeNull();
  });

  it('reads the answer through fetch, and does not call it for nothing', async () => {
    const urls: string[] = [];
    vi.stubGlobal('fetch', async (url: string) => {
      urls.push(url);
      return new Response(JSON.stringify({ results: [result()] }), { status: 200, headers: { 'content-type': 'application/json' } });
    });
    const answer = await api.searchTokens('098450-11111');
    expect(answer.results.map((r) => r.token.number)).toEqual(['GM-007']);
    expect(await api.searchTokens('  ')).toEqual({ results: [] });
    expect(urls).toEqual(['/api/tokens?q=098450-11111']);
  });

  it('passes a refusal on as the API error, in staff words', async () => {
    vi.stubGlobal('fetch', async () => new Response(JSON.stringify({ type: 'x', title: 't', status: 400, code: 'VALIDATION_FAILED', detail: 'querystring /q: Too big', errors: [{ in: 'querystring', path: '/q', message: 'Too big: at most 100' }] }), { status: 400 }));
    await expect(api.searchTokens('x')).rejects.toMatchObject({ problem: { code: 'VALIDATION_FAILED' } });
  });
});

describe('the results as they render', () => {
  const render = (results: SearchResult[], withTransfer: boolean) =>
    renderToStaticMarkup(createElement(SearchResults, { results, today: '2026-03-10', onAction: () => undefined, ...(withTransfer ? { onTransfer: () => undefined } : {}) }));

  it('shows the token, its status in words, the doctor, the day and the expected time', () => {
    const html = render([result(), result({ date: '2026-03-09', actions: [] }, { id: 't2', number: 'GM-003', status: 'NO_SHOW', estimatedAt: null, patient: { name: 'Asha K', id: 'MRN-4' } })], false);
    expect(html).toContain('GM-007');
    expect(html).toContain('Asha Verma');
    expect(html).toContain('Booked');
    expect(html).toContain('Dr Asha Rao · today · expected 09:24 · +91 98450 11111');
    expect(html).toContain('Dr Asha Rao · 2026-03-09 · patient id MRN-4');
    expect(html).toContain('No-show');
    expect(html).toContain('Nothing to do here');
  });

  it('offers exactly the actions the server allows, as buttons named with the token', () => {
    const html = render([result({ actions: ['cancel'] }, { status: 'WAITLISTED' })], true);
    expect(html.match(/<button/g)).toHaveLength(1);
    expect(html).toContain('aria-label="Cancel GM-007"');
    expect(html).not.toContain('Check in');
  });

  it('shows Transfer only when the desk can open the transfer dialog', () => {
    expect(render([result()], false)).not.toContain('Transfer');
    expect(render([result()], true)).toContain('aria-label="Transfer GM-007"');
    expect(render([result()], false).match(/<button/g)).toHaveLength(3);
  });

  it('never shows a token or doctor id', () => {
    const html = render([result()], true);
    expect(html).not.toMatch(/"t1"|>t1<|d1|s1/);
  });

  it('writes an Indian mobile number as people read it', () => {
    expect(phoneWords('+919845011111')).toBe('+91 98450 11111');
    expect(phoneWords('+14155550100')).toBe('+14155550100');
    expect(phoneWords(undefined)).toBeNull();
  });
});
