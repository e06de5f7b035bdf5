import type { Request, Response } from 'express';
import { OAuthService } from '../modules/calendars/oauth.service';
import type { AppDeps } from './context';

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * `GET /oauth/callback`, the OAuth redirect target: completes the connection named by `state`
 * and sends the browser to the client's redirectUrl with `externalCalendarId`, `status` and,
 * on failure, `error`; without a redirectUrl a small HTML page tells the owner how it went.
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
    res
      .status(outcome.error ? 400 : 200)
      .type('html')
      .send(`<!doctype html><html><head><meta charset="utf-8"><title>Calsync</title></head><body><p>${escape(message)}</p></body></html>`);
  };
}
