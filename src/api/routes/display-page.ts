// A board's display link, `/display/<secret>` (SPEC 11): opened on the waiting-room screen, it keeps
// the secret in the `opd_display` cookie and goes on to the board of its doctors; from then on the
// board's requests carry the cookie, checked against the database each time (so revoking works at
// once). A link that is unknown or revoked gets a small page that says so, in words for whoever
// stands in front of the screen. Public; not part of the API's contract.

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
      reply.setCookie(DISPLAY_COOKIE, request.params.secret, displayCookie(request));
      const target = board.doctorIds === 'all' ? '/board' : `/board?doctors=${board.doctorIds.map(encodeURIComponent).join(',')}`;
      return reply.redirect(target, 303);
    },
  });
};
