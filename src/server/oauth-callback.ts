import type { Request, Response } from 'express';
import { OAuthService } from '../modules/connections/oauth.service';
import type { AppDeps } from '../runtime';

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * `GET /oauth/callback`, the OAuth redirect target: completes the connection named by `state`.
 * Once the provider has answered the code exchange, the browser goes on to the client's
 * redirectUrl with `externalCalendarId`, `status` and, on failure, `error` (302); otherwise, and
 * without a redirectUrl, a small HTML page tells the owner how it went: 200 when connected, 400
 * for a failure (`invalid_state` for a forged, expired or used state, the RFC 6749 code for a
 * declined consent, which offers the redirectUrl as a link instead of following it). No text of
 * the request reaches the page or the redirect (src/modules/connections/oauth.service.ts).
 */
export function oauthCallback(deps: AppDeps) {
  return async (req: Request, res: Response): Promise<void> => {
    const query = Object.fromEntries(Object.entries(req.query).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
    const outcome = await new OAuthService(deps.orm.em.fork(), deps).completeCallback(query);
    if (outcome.redirectTo) {
      res.redirect(302, outcome.redirectTo);
      return;
    }
    const message = outcome.error ? `The calendar could not be connected (${outcome.error}).` : 'The calendar is connected. You can close this window.';
    const link = outcome.linkBack ? `<p><a href="${escape(outcome.linkBack)}">Back to the application</a></p>` : '';
    res
      .status(outcome.error ? 400 : 200)
      .type('html')
      .set('referrer-policy', 'no-referrer')
      .send(`<!doctype html><html><head><meta charset="utf-8"><title>Calsync</title></head><body><p>${escape(message)}</p>${link}</body></html>`);
  };
}
