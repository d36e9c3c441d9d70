// The built web app as the server sends it: every gzip copy (which browsers that accept gzip get
// instead of the file) holds exactly the bytes of the file beside it. A copy made before the build had
// finished its files once shipped a lazily loaded screen (the admin's Reports) that could not start.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

const ASSETS = join(import.meta.dirname, '..', 'dist', 'web', 'assets');

describe.skipIf(!existsSync(ASSETS))('the built web app (dist/web, made by npm run build:web)', () => {
  it('has a gzip copy of every script and style sheet, and each copy is the file byte for byte', () => {
    const files = readdirSync(ASSETS).filter((f) => /\.(js|css)$/.test(f));
    expect(files.length).toBeGreaterThan(2);
    const differing = files.filter((f) => !existsSync(join(ASSETS, `${f}.gz`)) || !gunzipSync(readFileSync(join(ASSETS, `${f}.gz`))).equals(readFileSync(join(ASSETS, f))));
    expect(differing).toEqual([]);
  });
});
