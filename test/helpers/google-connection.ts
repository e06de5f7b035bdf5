import { ConnectOAuthDocument, GetExternalCalendarDocument, SelectCalendarsDocument } from '../graphql/generated';
import { oauthDance } from './oauth-dance';
import type { TestServer } from './test-server';

/**
 * Connects a resource to the Google fake through the consent page and selects the account's
 * first calendar for reading (and for writing when `write`). @returns the connection's id.
 */
export async function connectGoogle(server: TestServer, resourceId: string, options: { write?: boolean } = {}): Promise<string> {
  const { connectExternalCalendar } = await server.ok(ConnectOAuthDocument, { input: { resourceId, provider: 'GOOGLE' } });
  const connectionId = connectExternalCalendar.externalCalendar.id;
  await oauthDance(connectExternalCalendar.authUrl);
  const calendar = (await server.ok(GetExternalCalendarDocument, { id: connectionId })).externalCalendar!.providerCalendars[0];
  await server.ok(SelectCalendarsDocument, {
    input: { externalCalendarId: connectionId, readCalendarIds: [calendar.id], writeCalendarId: options.write ? calendar.id : null },
  });
  return connectionId;
}
