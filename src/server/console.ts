import { existsSync } from 'node:fs';
import path from 'node:path';
import express from 'express';

/**
 * The web console's Content-Security-Policy: everything from this origin, nothing inline (Vite's
 * build inlines no script or style, console/vite.config.ts), no framing. `connect-src 'self'`
 * covers the same-origin websocket (ws: and wss: of this host, CSP Level 3) in current browsers.
 * @see https://www.w3.org/TR/CSP3/#match-url-to-source-expression
 */
export const CONSOLE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/** dist/console, seen from src/server (ts-jest, tsx) or dist/src/server (the build); null until it is built. */
function consoleDirectory(): string | null {
  const candidates = [path.resolve(__dirname, '../../dist/console'), path.resolve(__dirname, '../../../dist/console')];
  return candidates.find((dir) => existsSync(path.join(dir, 'index.html'))) ?? null;
}

/**
 * Serves the web console (console/, built by `npm install` or `npm run build` into dist/console)
 * at `/console`: its hashed assets for a year, and index.html, never cached, for `/console`,
 * `/console/` and any other path under it that is not an asset (the console's own routes). Every
 * answer carries {@link CONSOLE_CSP}. Without a build, a 503 that says how to make one.
 */
export function consoleRoutes(): express.Router {
  const router = express.Router({ strict: false });
  // One static handler per build folder found (the folder may appear after start-up: `npm run build`).
  let served: { dir: string; handler: express.RequestHandler } | null = null;
  router.use((_req, res, next) => {
    res.set({
      'content-security-policy': CONSOLE_CSP,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cross-origin-opener-policy': 'same-origin',
    });
    next();
  });
  router.use((req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.status(405).set('allow', 'GET, HEAD').type('text/plain').send('Method not allowed\n');
      return;
    }
    const dir = consoleDirectory();
    if (!dir) {
      res
        .status(503)
        .type('text/plain')
        .send('The web console is not built: run `npm install` (or `npm run build`) in the Calsync folder, then reload this page.\n');
      return;
    }
    if (served?.dir !== dir)
      served = { dir, handler: express.static(dir, { index: false, redirect: false, immutable: true, maxAge: '365d', fallthrough: true }) };
    served.handler(req, res, () => {
      // A missing asset is a 404; any other path is a client route of the console.
      if (req.path.startsWith('/assets/')) {
        res.status(404).type('text/plain').send('Not found\n');
        return;
      }
      res.set('cache-control', 'no-cache').sendFile(path.join(dir, 'index.html'), (error) => error && next(error));
    });
  });
  return router;
}
