/**
 * Feed addresses as users paste them. A published calendar's address is a secret (whoever has it
 * reads the calendar: Google's "secret address in iCal format", Outlook's published ICS link),
 * so it is only ever shown masked.
 */

/** Longest feed address taken, characters. */
const MAX_URL_LENGTH = 2_048;

/** Why a feed address was refused, for the client (BAD_USER_INPUT on `input.url`). */
export class FeedUrlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FeedUrlError';
  }
}

/**
 * The URL to fetch for a feed address: `webcal://` (Apple's scheme for subscribed calendars, read
 * as https, as Apple Calendar does) and `webcals://` become `https://`; `http://` and `https://`
 * stay; anything else, credentials in the URL, or no host is refused.
 * @throws FeedUrlError
 */
export function feedUrlOf(input: string): URL {
  const text = input.trim();
  if (text.length === 0 || text.length > MAX_URL_LENGTH) throw new FeedUrlError(`A feed address is 1 to ${MAX_URL_LENGTH} characters`);
  let url: URL;
  try {
    url = new URL(text.replace(/^webcals?:\/\//i, 'https://'));
  } catch {
    throw new FeedUrlError('Not a URL; a feed address looks like https://example.com/calendar.ics or webcal://example.com/calendar.ics');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new FeedUrlError(`${url.protocol.replace(':', '')} addresses are not fetched; use https, http or webcal`);
  if (url.username || url.password) throw new FeedUrlError('A feed address with a user name or password in it is not taken');
  if (!url.hostname) throw new FeedUrlError('A feed address needs a host');
  url.hash = '';
  return url;
}

/**
 * How a feed address is shown: scheme, host and port, with every path segment and the query
 * masked but the last segment's extension (`https://calendar.google.com/…/…/basic.ics` becomes
 * `https://calendar.google.com/•••/•••.ics`), so that an owner recognises the feed and nobody can
 * read it from what is shown.
 */
export function maskedFeedUrl(url: URL): string {
  const segments = url.pathname.split('/').filter(Boolean);
  const masked = segments.map((segment, index) => {
    const extension = index === segments.length - 1 ? (/\.[A-Za-z0-9]{1,8}$/.exec(segment)?.[0] ?? '') : '';
    return `•••${extension}`;
  });
  return `${url.protocol}//${url.host}/${masked.join('/')}${url.search ? '?•••' : ''}`;
}
