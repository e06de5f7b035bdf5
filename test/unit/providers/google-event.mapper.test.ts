import type { calendar_v3 } from '@googleapis/calendar';
import { mapGoogleEvent, type GoogleEventOutcome } from '../../../src/providers/google/google-event.mapper';
import type { NormalizedEvent } from '../../../src/providers/provider';

/** An event resource as events.list returns it (https://developers.google.com/calendar/api/v3/reference/events#resource). */
function makeEvent(overrides: calendar_v3.Schema$Event = {}): calendar_v3.Schema$Event {
  return {
    kind: 'calendar#event',
    etag: '"3181161784712000"',
    id: '4eahs9ghkhrvkld72hogu9ph3e',
    status: 'confirmed',
    htmlLink: 'https://www.google.com/calendar/event?eid=NGVhaHM5Z2hraHJ2a2xkNzJob2d1OXBoM2Ug',
    created: '2024-03-01T09:00:00.000Z',
    updated: '2024-03-01T09:00:00.356Z',
    summary: 'Google I/O 2015',
    creator: { email: 'owner@example.com', self: true },
    organizer: { email: 'owner@example.com', self: true },
    start: { dateTime: '2015-05-28T09:00:00-07:00', timeZone: 'America/Los_Angeles' },
    end: { dateTime: '2015-05-28T17:00:00-07:00', timeZone: 'America/Los_Angeles' },
    iCalUID: '4eahs9ghkhrvkld72hogu9ph3e@google.com',
    sequence: 0,
    reminders: { useDefault: true },
    eventType: 'default',
    ...overrides,
  };
}

function eventOf(outcome: GoogleEventOutcome): NormalizedEvent {
  if (outcome.kind !== 'event') throw new Error(`expected an event, got ${JSON.stringify(outcome)}`);
  return outcome.event;
}

describe('mapGoogleEvent', () => {
  it('turns a timed event with an offset into UTC instants', () => {
    expect(eventOf(mapGoogleEvent(makeEvent(), 'Europe/Paris'))).toEqual({
      externalId: '4eahs9ghkhrvkld72hogu9ph3e',
      seriesId: null,
      recurrenceId: null,
      title: 'Google I/O 2015',
      startsAt: new Date('2015-05-28T16:00:00Z'),
      endsAt: new Date('2015-05-29T00:00:00Z'),
      allDay: false,
      startDate: null,
      endDate: null,
      status: 'CONFIRMED',
      transparency: 'OPAQUE',
      timeZone: 'America/Los_Angeles',
      appointmentId: null,
    });
  });

  it('reads the appointment id a Calsync export left in the private extended properties', () => {
    const exported = makeEvent({
      extendedProperties: { private: { calsyncAppointmentId: 'a1b2', calsyncExportId: 'a1b2-1' }, shared: { calsyncAppointmentId: 'not-ours' } },
    });
    expect(eventOf(mapGoogleEvent(exported, 'Europe/Paris')).appointmentId).toBe('a1b2');
    const sharedOnly = makeEvent({ extendedProperties: { shared: { calsyncAppointmentId: 'not-ours' } } });
    expect(eventOf(mapGoogleEvent(sharedOnly, 'Europe/Paris')).appointmentId).toBeNull();
  });

  it('places an all-day event on the local midnights of the resource zone, across a DST change', () => {
    // Europe/Berlin springs forward on 2024-03-31: the first day lasts 24 h, the second 23 h.
    const event = eventOf(
      mapGoogleEvent(makeEvent({ id: 'allday1', start: { date: '2024-03-30' }, end: { date: '2024-04-01' }, transparency: undefined }), 'Europe/Berlin'),
    );
    expect(event).toMatchObject({ allDay: true, startDate: '2024-03-30', endDate: '2024-04-01', timeZone: null });
    expect(event.startsAt.toISOString()).toBe('2024-03-29T23:00:00.000Z');
    expect(event.endsAt.toISOString()).toBe('2024-03-31T22:00:00.000Z');
    expect(event.endsAt.getTime() - event.startsAt.getTime()).toBe(47 * 3600_000);
  });

  it('reads an instance of a recurring series: series id and UTC recurrence id', () => {
    const event = eventOf(
      mapGoogleEvent(
        makeEvent({
          id: 'series1_20240402T070000Z',
          recurringEventId: 'series1',
          originalStartTime: { dateTime: '2024-04-02T09:00:00+02:00', timeZone: 'Europe/Berlin' },
          start: { dateTime: '2024-04-02T10:00:00+02:00', timeZone: 'Europe/Berlin' },
          end: { dateTime: '2024-04-02T11:00:00+02:00', timeZone: 'Europe/Berlin' },
        }),
        'UTC',
      ),
    );
    expect(event).toMatchObject({ externalId: 'series1_20240402T070000Z', seriesId: 'series1', recurrenceId: '20240402T070000Z' });
    expect(event.startsAt.toISOString()).toBe('2024-04-02T08:00:00.000Z');
  });

  it('gives an all-day instance a date recurrence id', () => {
    const event = eventOf(
      mapGoogleEvent(
        makeEvent({
          id: 'daily_20240402',
          recurringEventId: 'daily',
          originalStartTime: { date: '2024-04-02' },
          start: { date: '2024-04-02' },
          end: { date: '2024-04-03' },
        }),
        'UTC',
      ),
    );
    expect(event.recurrenceId).toBe('20240402');
  });

  it('reports a cancelled instance (an identity-only stub) as deleted', () => {
    const stub = {
      kind: 'calendar#event',
      etag: '"1"',
      id: 'series1_20240403T070000Z',
      status: 'cancelled',
      recurringEventId: 'series1',
      originalStartTime: { dateTime: '2024-04-03T09:00:00+02:00' },
    };
    expect(mapGoogleEvent(stub, 'UTC')).toEqual({ kind: 'deleted', externalId: 'series1_20240403T070000Z' });
  });

  it('marks a free (transparent) event TRANSPARENT', () => {
    expect(eventOf(mapGoogleEvent(makeEvent({ transparency: 'transparent' }), 'UTC')).transparency).toBe('TRANSPARENT');
  });

  it('marks a tentative event, and one the owner answered "maybe" to, TENTATIVE', () => {
    expect(eventOf(mapGoogleEvent(makeEvent({ status: 'tentative' }), 'UTC')).status).toBe('TENTATIVE');
    const maybe = makeEvent({
      attendees: [
        { email: 'boss@example.com', organizer: true, responseStatus: 'accepted' },
        { email: 'owner@example.com', self: true, responseStatus: 'tentative' },
      ],
    });
    expect(eventOf(mapGoogleEvent(maybe, 'UTC')).status).toBe('TENTATIVE');
  });

  it('deletes an invitation the owner declined, but keeps one declined by someone else', () => {
    const declinedBySelf = makeEvent({
      attendees: [
        { email: 'boss@example.com', responseStatus: 'accepted' },
        { email: 'owner@example.com', self: true, responseStatus: 'declined' },
      ],
    });
    expect(mapGoogleEvent(declinedBySelf, 'UTC')).toEqual({ kind: 'deleted', externalId: '4eahs9ghkhrvkld72hogu9ph3e' });
    const declinedByOther = makeEvent({
      attendees: [
        { email: 'boss@example.com', responseStatus: 'declined' },
        { email: 'owner@example.com', self: true, responseStatus: 'accepted' },
      ],
    });
    expect(mapGoogleEvent(declinedByOther, 'UTC').kind).toBe('event');
  });

  it('never lets a working-location event block time', () => {
    const workingLocation = makeEvent({
      eventType: 'workingLocation',
      summary: 'Home',
      start: { date: '2024-04-02' },
      end: { date: '2024-04-03' },
      visibility: 'public',
      workingLocationProperties: { type: 'homeOffice', homeOffice: {} },
    });
    expect(eventOf(mapGoogleEvent(workingLocation, 'UTC')).transparency).toBe('TRANSPARENT');
    expect(eventOf(mapGoogleEvent(makeEvent({ eventType: 'outOfOffice' }), 'UTC')).transparency).toBe('OPAQUE');
  });

  it('skips an event without an end, or ending before it starts, with a reason', () => {
    expect(mapGoogleEvent(makeEvent({ end: undefined }), 'UTC')).toEqual({
      kind: 'skipped',
      skipped: { uid: '4eahs9ghkhrvkld72hogu9ph3e', reason: 'Event without a start or an end' },
    });
    const backwards = mapGoogleEvent(makeEvent({ end: { dateTime: '2015-05-28T08:00:00-07:00' } }), 'UTC');
    expect(backwards).toMatchObject({ kind: 'skipped', skipped: { reason: expect.stringContaining('before it starts') } });
    expect(mapGoogleEvent(makeEvent({ start: { dateTime: 'tomorrow' } }), 'UTC').kind).toBe('skipped');
  });

  it('reads date-times with an offset exactly, fractions and "Z" too, and skips dates that do not exist', () => {
    const at = (dateTime: string) => mapGoogleEvent(makeEvent({ start: { dateTime }, end: { dateTime: '2030-01-01T00:00:00Z' } }), 'UTC');
    expect(eventOf(at('2024-02-29T23:30:00.25+05:30')).startsAt).toEqual(new Date('2024-02-29T18:00:00.250Z'));
    expect(eventOf(at('2024-03-01T09:00:00Z')).startsAt).toEqual(new Date('2024-03-01T09:00:00Z'));
    // Date.parse would roll these over into March; they are no dates.
    expect(at('2023-02-29T10:00:00Z').kind).toBe('skipped');
    expect(at('2024-02-30T10:00:00+01:00').kind).toBe('skipped');
    expect(at('2024-04-31T10:00:00Z').kind).toBe('skipped');
  });
});
