/** Where each hop of an OAuth round trip sent the browser. */
export interface OAuthDance {
  /** The provider's answer to the consent page: a 302 to our callback (or to it with an error). */
  callbackUrl: string;
  /** Our callback's answer: the client's redirectUrl with the outcome, or null when it answered a page. */
  finalUrl: URL | null;
  /** HTTP status of our callback. */
  callbackStatus: number;
}

/**
 * Plays the browser over real HTTP: opens the consent page (the fake grants or denies at once
 * with a 302 to our redirect URI), follows it to `GET /oauth/callback`, and reports where that
 * sent the browser, without following it to the client's own site.
 */
export async function oauthDance(authUrl: string): Promise<OAuthDance> {
  const consent = await fetch(authUrl, { redirect: 'manual' });
  const callbackUrl = consent.headers.get('location');
  if (consent.status !== 302 || !callbackUrl) throw new Error(`The consent page answered ${consent.status}`);
  return { callbackUrl, ...(await followCallback(callbackUrl)) };
}

/** Opens our callback URL as a browser would, without following its redirect. */
export async function followCallback(callbackUrl: string): Promise<{ finalUrl: URL | null; callbackStatus: number }> {
  const response = await fetch(callbackUrl, { redirect: 'manual' });
  const location = response.headers.get('location');
  return { finalUrl: location ? new URL(location) : null, callbackStatus: response.status };
}
