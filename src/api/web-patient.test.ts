// The built web app's patient page and compressed files: /t/<code> answers patient.html for a code
// the server made (with the headers of a secret address), the plain 404 page otherwise; a script's
// .gz copy goes to a browser that accepts gzip, the plain file to one that does not.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync, gunzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { at, call, harness, type Harness } from '../../test/kits/api/test-kit.ts';

let root: string;
let h: Harness | undefined;
const SCRIPT = 'console.log("patient page");'.repeat(20);
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'opd-web-patient-'));
  mkdirSync(join(root, 'assets'));
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>desk</title><div id="root"></div>');
  writeFileSync(join(root, 'patient.html'), '<!doctype html><title>Your OPD token</title><div id="root">Opening your token…</div>');
  writeFileSync(join(root, 'assets', 'patient-abc123.js'), SCRIPT);
  writeFileSync(join(root, 'assets', 'patient-abc123.js.gz'), gzipSync(SCRIPT));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));
afterEach(async () => h?.close());

describe("11: the patient's page as served", () => {
  it('a good code gets the page, never cached nor indexed nor referred; a wrong one the plain 404 page', async () => {
    h = await harness({ webRoot: root });
    const doctor = await call(h.sut, 'POST', '/api/doctors', { name: 'Dr Asha Rao', department: 'General Medicine', code: 'GM' });
    await call(h.sut, 'POST', '/api/slots', { doctorId: doctor.body.id, start: at('09:00'), end: at('10:00'), capacity: 2 });
    const token = await call(h.sut, 'POST', '/api/tokens', { doctorId: doctor.body.id, source: 'WALKIN', patient: { name: 'Sunita Devi' } });
    const page = await h.sut.inject({ method: 'GET', url: token.body.publicUrl });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toContain('Opening your token…');
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.headers['x-robots-tag']).toBe('noindex');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    const wrong = await h.sut.inject({ method: 'GET', url: `${token.body.publicUrl.slice(0, -2)}AA` });
    expect(wrong.statusCode).toBe(404);
    expect(wrong.body).toContain('We cannot find this token');
    expect(wrong.body).not.toContain('Opening your token');
  });

  it('sends the gzip copy of a script to a browser that accepts it, the plain file otherwise', async () => {
    h = await harness({ webRoot: root });
    const zipped = await h.sut.inject({ method: 'GET', url: '/assets/patient-abc123.js', headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(zipped.statusCode).toBe(200);
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(zipped.rawPayload).toString()).toBe(SCRIPT);
    expect(zipped.rawPayload.length).toBeLessThan(SCRIPT.length / 4);
    const plain = await h.sut.inject({ method: 'GET', url: '/assets/patient-abc123.js', headers: { 'accept-encoding': 'identity' } });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe(SCRIPT);
  });
});
