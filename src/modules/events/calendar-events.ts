import type { CalendarEvents } from '../shared/module-deps';
import { ExternalEvent } from './external-event.entity';

/**
 * The events module's side of {@link CalendarEvents}: what connections change of the events
 * imported from their calendars, as native statements in the caller's transaction.
 */
export const calendarEvents: CalendarEvents = {
  async removeFor(em, calendars) {
    if (calendars.length > 0) await em.nativeDelete(ExternalEvent, { providerCalendar: { $in: calendars } });
  },
  async removeForConnection(em, connection) {
    await em.nativeDelete(ExternalEvent, { externalCalendar: connection });
  },
  async hideTitles(em, connection) {
    await em.nativeUpdate(ExternalEvent, { externalCalendar: connection }, { title: null });
  },
};
