import { ProviderError, type ExportEvent, type NormalizedEvent } from '../../src/providers/provider';

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

/** An appointment as the export outbox hands it to an adapter: 7 December 2026, 09:00-09:45 UTC, with `overrides` applied. */
export function makeExportEvent(appointmentId: string, overrides: Partial<ExportEvent> = {}): ExportEvent {
  return {
    appointmentId,
    exportId: `${appointmentId}-1`,
    title: 'Consultation',
    description: 'First visit',
    location: 'Room 1',
    attendees: [{ email: 'ada@example.com', name: 'Ada Lovelace' }],
    startsAt: new Date('2026-12-07T09:00:00Z'),
    endsAt: new Date('2026-12-07T09:45:00Z'),
    timeZone: 'Europe/Berlin',
    status: 'CONFIRMED',
    sequence: 0,
    inviteAttendees: false,
    ...overrides,
  };
}

/** The ProviderError `promise` rejects with; fails when it resolves or rejects with anything else. */
export async function providerRejection(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof ProviderError)) throw new Error(`expected a ProviderError, got ${String(error)}`);
  return error;
}
