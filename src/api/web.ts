// The web desk (src/web/, built by Vite into dist/web/) served by the same server as the API: its
// hashed assets under /assets/ with long caching, and index.html for each screen's path, which the
// browser app then routes. When the desk has not been built, those paths say how to build it.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';

/** Where `npm run build:web` puts the desk. */
export const WEB_ROOT = fileURLToPath(new URL('../../dist/web/', import.meta.url));

/**
 * The screens' paths (src/web/main.tsx routes the same ones). Pages with no data in them, public:
 * the data comes only from /api, with credentials. /display/:secret is not one: the server answers it.
 */
export const SCREEN_PATHS = ['/', '/signin', '/setup', '/admin', '/board', '/doctor/:id'] as const;

export function webDeskBuilt(root: string = WEB_ROOT): boolean {
  return existsSync(join(root, 'index.html'));
}

export const webDesk: FastifyPluginAsync<{ root: string }> = async (app, { root }) => {
  if (!webDeskBuilt(root)) {
    for (const path of SCREEN_PATHS) {
      app.get(path, { schema: { hide: true } }, async (_request, reply) =>
        reply
          .code(503)
          .type('text/plain; charset=utf-8')
          .send('The web desk is not built. Run `npm run build:web` (npm ci does it), then restart the server.\n'),
      );
    }
    return;
  }
  await app.register(fastifyStatic, {
    root: join(root, 'assets'),
    prefix: '/assets/',
    // File names carry a hash of their content: a new build means new names.
    immutable: true,
    maxAge: '365d',
    index: false,
    // The build writes a .gz copy of each script and style sheet (vite.config.ts): sent when accepted.
    preCompressed: true,
  });
  for (const path of SCREEN_PATHS) {
    app.get(path, { schema: { hide: true } }, async (_request, reply) =>
      // Never cached: a new build must reach the desks at their next load.
      reply.header('cache-control', 'no-cache').sendFile('index.html', root, { cacheControl: false }),
    );
  }
};
