/**
 * From what a user types (a host, or any URL on the server) to the account's calendar homes:
 * RFC 6764 section 6 (the `/.well-known/caldav` context path, whose redirects DavSession
 * follows), RFC 5397 (`DAV:current-user-principal`) and RFC 4791 section 6.2.1
 * (`CALDAV:calendar-home-set`). Every href is resolved against the URL that answered it, so a
 * principal or a home on another host (iCloud's pNN-caldav.icloud.com) is followed there.
 */
import { ProviderError } from '../provider';
import { readMultistatus, type DavSession } from './dav-session';
import { CALDAV, DAV, propfindBody, propHrefs, type PropName } from './dav-xml';

const CURRENT_USER_PRINCIPAL: PropName = `{${DAV}}current-user-principal`;
const PRINCIPAL_URL: PropName = `{${DAV}}principal-URL`;
const CALENDAR_HOME_SET: PropName = `{${CALDAV}}calendar-home-set`;
const PROBE = propfindBody([CURRENT_USER_PRINCIPAL, PRINCIPAL_URL, CALENDAR_HOME_SET]);

/**
 * Finds the account's calendar homes: the absolute URLs whose members are its calendar collections. The URL given is tried first when it has a path, then
 * `/.well-known/caldav` of its host, then the host's root; the first that names a principal
 * (or is one) wins.
 * @throws ProviderError AUTH_REVOKED when a candidate refused the credentials and none answered
 *   with a principal; TEMPORARY when the server cannot be reached; ADDRESS_REFUSED when the
 *   outbound policy refuses it or a hop; NOT_FOUND, naming what each candidate answered, when
 *   none is a CalDAV service.
 */
export async function discoverHomes(session: DavSession, serverUrl: string): Promise<string[]> {
  const given = new URL(serverUrl);
  const candidates = [
    ...new Set([...(given.pathname !== '/' ? [given.toString()] : []), new URL('/.well-known/caldav', given).toString(), new URL('/', given).toString()]),
  ];
  const tried: string[] = [];
  let refused: ProviderError | null = null;
  for (const candidate of candidates) {
    const found = await probe(session, candidate).catch((error: unknown) => {
      if (!(error instanceof ProviderError) || error.code === 'TEMPORARY' || error.code === 'ADDRESS_REFUSED') throw error;
      if (error.code === 'AUTH_REVOKED') refused = error;
      return error.message;
    });
    if (typeof found !== 'string') return found;
    tried.push(`${new URL(candidate).pathname}: ${found}`);
  }
  if (refused) throw refused;
  throw new ProviderError('NOT_FOUND', `No CalDAV service found at ${given.origin}${given.pathname} (${tried.join('; ')})`);
}

/** What one candidate URL leads to: the calendar homes, or why not (a short reason). */
async function probe(session: DavSession, candidate: string): Promise<string[] | string> {
  const answer = await session.send({ method: 'PROPFIND', url: candidate, depth: '0', body: PROBE });
  if (answer.status !== 207) return `HTTP ${answer.status}`;
  const { url } = answer;
  const response = readMultistatus(answer, `PROPFIND ${url}`).responses[0];
  if (!response) return 'an empty multistatus';
  const principal = propHrefs(response, CURRENT_USER_PRINCIPAL)[0] ?? propHrefs(response, PRINCIPAL_URL)[0];
  if (principal) return principalHomes(session, new URL(principal, url).toString());
  const homes = propHrefs(response, CALENDAR_HOME_SET);
  if (homes.length > 0) return homes.map((home) => new URL(home, url).toString());
  return 'no current-user-principal';
}

/** The calendar homes of a principal. @throws ProviderError NOT_FOUND when it names none. */
async function principalHomes(session: DavSession, principalUrl: string): Promise<string[]> {
  const { url, multistatus } = await session.multistatus(
    { method: 'PROPFIND', url: principalUrl, depth: '0', body: propfindBody([CALENDAR_HOME_SET]) },
    `PROPFIND ${principalUrl}`,
  );
  const homes = multistatus.responses.flatMap((response) => propHrefs(response, CALENDAR_HOME_SET));
  if (homes.length === 0) throw new ProviderError('NOT_FOUND', `The principal ${principalUrl} names no calendar-home-set: the account has no calendars`);
  return [...new Set(homes.map((home) => new URL(home, url).toString()))];
}
