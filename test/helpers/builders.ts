import type { NormalizedEvent } from '../../src/providers/provider';

/** A single confirmed, opaque occurrence [start, end) titled by its id, with `overrides` applied. */
export function makeEvent(externalId: string, start: string | Date, end: string | Date, overrides: Partial<NormalizedEvent> = {}): NormalizedEvent {
  return {
    externalId,
    seriesId: null,
    recurrenceId: null,
    title: externalId,
    startsAt: new Date(start),
    endsAt: new Date(end),
    allDay: false,
    startDate: null,
    endDate: null,
    status: 'CONFIRMED',
    transparency: 'OPAQUE',
    timeZone: null,
    ...overrides,
  };
}
