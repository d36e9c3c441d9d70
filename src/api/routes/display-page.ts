// A board's display link, `/display/<secret>` (SPEC 11): opened on the waiting-room screen, it keeps
// the secret in the `opd_display` cookie and goes on to the board of its doctors; from then on the
// board's requests carry the cookie, checked against the database each time (so revoking works at
// once). A link that is unknown or revoked gets a small page that says so, in words for whoever
// stands in front of the screen. Public; not part of the API's contract.
//
// The board's own settings ride on the link and go on to the board's address: `lang` (the languages
// the board shows and speaks: en, hi, en,hi or hi,en) and `turn` (seconds per page, 5 to 120); see
// src/web/board/settings.ts. A value the board would not understand gets a page that says which
// values work (400), rather than a board quietly in the wrong language.

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AccessService } from '../../access/access-service.ts';
import { DISPLAY_COOKIE, displayCookie } from '../access/cookies.ts';

/** No script, no style sheet, no link: nothing a revoked screen could load or leak. */
export const LINK_REVOKED_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>This board link no longer works</title>
</head>
<body style="font-family: system-ui, sans-serif; font-size: 2rem; margin: 10vh 8vw; color: #111; background: #fff">
<h1>This board link no longer works</h1>
<p>It was revoked, or it was never a board link. Ask an administrator for a new link for this screen.</p>
</body>
</html>
`;

const BOARD_LANGUAGES = new Set(['en', 'hi', 'en,hi', 'hi,en']);

/** The page for a setting the board does not know; `setting` is shown escaped. */
export function badSettingPage(setting: string): string {
  const shown = setting.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>This board link has a setting the board does not know</title>
</head>
<body style="font-family: system-ui, sans-serif; font-size: 2rem; margin: 10vh 8vw; color: #111; background: #fff">
<h1>This board link has a setting the board does not know</h1>
<p>${shown}</p>
<p>Languages: lang=en (English), lang=hi (Hindi), lang=en,hi or lang=hi,en (both, in turn). Seconds per page: turn=5 to turn=120.</p>
</body>
</html>
`;
}

/** The board's settings of a display link's query (lang, turn), or the first one that is wrong. */
function boardSettingsOf(query: Record<string, unknown>): { params: string[] } | { wrong: string } {
  const params: string[] = [];
  const { lang, turn } = query;
  if (lang !== undefined) {
    if (typeof lang !== 'string' || !BOARD_LANGUAGES.has(lang)) return { wrong: `lang=${String(lang)}` };
    params.push(`lang=${lang}`);
  }
  if (turn !== undefined) {
    if (typeof turn !== 'string' || !/^[0-9]{1,3}$/.test(turn) || Number(turn) < 5 || Number(turn) > 120) return { wrong: `turn=${String(turn)}` };
    params.push(`turn=${Number(turn)}`);
  }
  return { params };
}

export const displayPageRoutes: FastifyPluginAsyncZod<{ access: AccessService }> = async (app, { access }) => {
  app.get('/display/:secret', {
    schema: { hide: true, params: z.object({ secret: z.string() }) },
    handler: async (request, reply) => {
      // The address is a secret: never cached, never sent on as a referrer.
      reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');
      const board = await access.resolveDisplayLink(request.params.secret);
      if (board === null) {
        // A cookie the screen already holds (of another link) is left alone.
        return reply.code(401).type('text/html; charset=utf-8').send(LINK_REVOKED_PAGE);
      }
      const settings = boardSettingsOf(request.query as Record<string, unknown>);
      if ('wrong' in settings) return reply.code(400).type('text/html; charset=utf-8').send(badSettingPage(settings.wrong));
      reply.setCookie(DISPLAY_COOKIE, request.params.secret, displayCookie(request));
      const params = board.doctorIds === 'all' ? settings.params : [`doctors=${board.doctorIds.map(encodeURIComponent).join(',')}`, ...settings.params];
      return reply.redirect(params.length === 0 ? '/board' : `/board?${params.join('&')}`, 303);
    },
  });
};
