import type { EntityManager } from '@mikro-orm/postgresql';
import type { DiscoveredCalendar } from '../../providers/provider';
import type { ExportChanges, ModuleDeps } from '../shared/module-deps';
import type { ExternalCalendar } from './external-calendar.entity';
import { ProviderCalendar } from './provider-calendar.entity';

/**
 * Makes the stored calendars of a connection match the ones the provider lists now, in the
 * caller's transaction:
 * - new calendars are added, unselected;
 * - known ones keep their read and write choice and take the new name, colour, zone and write
 *   permission (a calendar the account may no longer write stops being the write calendar);
 *   one that had been removed comes back, and syncs again if it was read;
 * - vanished ones are kept, marked `removedAt`: they stop syncing, their events stop blocking
 *   (deleted), and they stop being the write calendar.
 * When the resource's write calendar went, its future appointments are retargeted
 * (`deps.exports.retarget`: those already exported stay where they are).
 * @returns the appointments whose export changed, for the caller to announce after its commit.
 */
export async function replaceCalendars(
  em: EntityManager,
  connection: ExternalCalendar,
  discovered: DiscoveredCalendar[],
  deps: Pick<ModuleDeps, 'exports' | 'calendarEvents'>,
  now = new Date(),
): Promise<ExportChanges> {
  const known = new Map((await em.find(ProviderCalendar, { externalCalendar: connection })).map((calendar) => [calendar.providerCalendarId, calendar]));
  let writeCleared = false;
  for (const calendar of discovered) {
    const row = known.get(calendar.providerCalendarId);
    known.delete(calendar.providerCalendarId);
    if (!row) {
      em.create(ProviderCalendar, {
        tenant: connection.tenant,
        externalCalendar: connection,
        resource: connection.resource,
        providerCalendarId: calendar.providerCalendarId,
        name: calendar.name,
        color: calendar.color,
        timeZone: calendar.timeZone,
        primary: calendar.primary,
        canWrite: calendar.canWrite,
      });
      continue;
    }
    Object.assign(row, { name: calendar.name, color: calendar.color, timeZone: calendar.timeZone, primary: calendar.primary, canWrite: calendar.canWrite });
    if (row.removedAt) Object.assign(row, { removedAt: null, lastError: null, failureCount: 0, retryAt: null });
    writeCleared ||= row.write && !row.canWrite;
    if (!row.canWrite) row.write = false;
  }
  const vanished = [...known.values()].filter((calendar) => calendar.removedAt === null);
  for (const calendar of vanished) {
    writeCleared ||= calendar.write;
    Object.assign(calendar, { removedAt: now, write: false, syncCursor: null, lastError: 'The provider no longer lists this calendar', retryAt: null });
  }
  await deps.calendarEvents.removeFor(em, vanished);
  await em.flush();
  return writeCleared ? deps.exports.retarget(em, connection.resource.id, false) : [];
}
