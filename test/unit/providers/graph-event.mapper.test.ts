import { mapGraphEvent, type GraphEvent, type GraphEventMapping } from '../../../src/providers/microsoft/graph-event.mapper';
import type { NormalizedEvent } from '../../../src/providers/provider';

/** A Graph event shaped like the reference examples (https://learn.microsoft.com/graph/api/resources/event). */
function makeEvent(overrides: Partial<GraphEvent> = {}): GraphEvent {
  return {
    id: 'AAMkAGI2TG93AAA=',
    subject: 'Plan shopping list',
    start: { dateTime: '2016-12-09T20:30:00.0000000', timeZone: 'UTC' },
    end: { dateTime: '2016-12-09T22:00:00.0000000', timeZone: 'UTC' },
    isAllDay: false,
    isCancelled: false,
    showAs: 'busy',
    type: 'singleInstance',
    seriesMasterId: null,
    originalStart: null,
    originalStartTimeZone: 'Pacific Standard Time',
    responseStatus: { response: 'organizer' },
    changeKey: 'EZ9r3czxY0m2jz8c45czkwAAFXcvIQ==',
    lastModifiedDateTime: '2016-12-09T18:14:00.4407127Z',
    ...overrides,
  };
}

function eventOf(mapping: GraphEventMapping): NormalizedEvent {
  if (mapping.kind !== 'event') throw new Error(`expected an event, got ${JSON.stringify(mapping)}`);
  return mapping.event;
}

describe('mapGraphEvent', () => {
  it('reads a timed event in UTC with 7 fractional digits', () => {
    const event = eventOf(
      mapGraphEvent(
        makeEvent({
          start: { dateTime: '2024-03-10T14:30:00.1234567', timeZone: 'UTC' },
          end: { dateTime: '2024-03-10T15:00:00.0000000', timeZone: 'UTC' },
        }),
        'Europe/Paris',
      ),
    );
    expect(event).toEqual({
      externalId: 'AAMkAGI2TG93AAA=',
      seriesId: null,
      recurrenceId: null,
      title: 'Plan shopping list',
      startsAt: new Date('2024-03-10T14:30:00.123Z'),
      endsAt: new Date('2024-03-10T15:00:00.000Z'),
      allDay: false,
      startDate: null,
      endDate: null,
      status: 'CONFIRMED',
      transparency: 'OPAQUE',
      timeZone: 'Pacific Standard Time',
    });
  });

  it('reads a timed event in the IANA zone Graph names', () => {
    const event = eventOf(
      mapGraphEvent(
        makeEvent({
          start: { dateTime: '2024-07-01T09:00:00.0000000', timeZone: 'America/New_York' },
          end: { dateTime: '2024-07-01T10:00:00.0000000', timeZone: 'America/New_York' },
        }),
        'UTC',
      ),
    );
    expect(event.startsAt.toISOString()).toBe('2024-07-01T13:00:00.000Z');
  });

  it('reads an all-day event as local midnights of the resource zone, across a DST change', () => {
    // Europe/Berlin springs forward on 2024-03-31: that day has 23 hours.
    const event = eventOf(
      mapGraphEvent(
        makeEvent({
          isAllDay: true,
          start: { dateTime: '2024-03-30T00:00:00.0000000', timeZone: 'UTC' },
          end: { dateTime: '2024-04-01T00:00:00.0000000', timeZone: 'UTC' },
        }),
        'Europe/Berlin',
      ),
    );
    expect(event.allDay).toBe(true);
    expect(event.startDate).toBe('2024-03-30');
    expect(event.endDate).toBe('2024-04-01');
    expect(event.startsAt.toISOString()).toBe('2024-03-29T23:00:00.000Z');
    expect(event.endsAt.toISOString()).toBe('2024-03-31T22:00:00.000Z');
    expect((event.endsAt.getTime() - event.startsAt.getTime()) / 3_600_000).toBe(47);
  });

  it('turns a cancelled event into a deletion', () => {
    expect(mapGraphEvent(makeEvent({ isCancelled: true, subject: 'Canceled: Weekly sync' }), 'UTC')).toEqual({ kind: 'deleted' });
  });

  it('turns a declined invitation into a deletion', () => {
    expect(mapGraphEvent(makeEvent({ responseStatus: { response: 'declined' } }), 'UTC')).toEqual({ kind: 'deleted' });
  });

  it.each([
    ['free', 'CONFIRMED', 'TRANSPARENT'],
    ['workingElsewhere', 'CONFIRMED', 'TRANSPARENT'],
    ['tentative', 'TENTATIVE', 'OPAQUE'],
    ['oof', 'CONFIRMED', 'OPAQUE'],
    ['busy', 'CONFIRMED', 'OPAQUE'],
    ['unknown', 'CONFIRMED', 'OPAQUE'],
  ] as const)('maps showAs %s to %s / %s', (showAs, status, transparency) => {
    const event = eventOf(mapGraphEvent(makeEvent({ showAs }), 'UTC'));
    expect(event.status).toBe(status);
    expect(event.transparency).toBe(transparency);
  });

  it('keeps the series id and a UTC recurrence id for an occurrence', () => {
    const event = eventOf(
      mapGraphEvent(
        makeEvent({
          id: 'AAMkAGI2TG93AAABEgAQAOccurrence=',
          type: 'occurrence',
          seriesMasterId: 'AAMkAGI2TG93AAAMaster=',
          originalStart: '2024-03-11T16:00:00Z',
          originalStartTimeZone: 'Pacific Standard Time',
          start: { dateTime: '2024-03-11T16:00:00.0000000', timeZone: 'UTC' },
          end: { dateTime: '2024-03-11T16:30:00.0000000', timeZone: 'UTC' },
        }),
        'UTC',
      ),
    );
    expect(event.externalId).toBe('AAMkAGI2TG93AAABEgAQAOccurrence=');
    expect(event.seriesId).toBe('AAMkAGI2TG93AAAMaster=');
    expect(event.recurrenceId).toBe('20240311T160000Z');
  });

  it('keeps the original slot of a moved exception as its recurrence id', () => {
    const event = eventOf(
      mapGraphEvent(
        makeEvent({
          type: 'exception',
          seriesMasterId: 'AAMkAGI2TG93AAAMaster=',
          originalStart: '2024-03-12T16:00:00+00:00',
          start: { dateTime: '2024-03-12T18:00:00.0000000', timeZone: 'UTC' },
          end: { dateTime: '2024-03-12T18:30:00.0000000', timeZone: 'UTC' },
        }),
        'UTC',
      ),
    );
    expect(event.recurrenceId).toBe('20240312T160000Z');
    expect(event.startsAt.toISOString()).toBe('2024-03-12T18:00:00.000Z');
  });

  it('gives an all-day occurrence a date recurrence id read in the series zone', () => {
    const event = eventOf(
      mapGraphEvent(
        makeEvent({
          type: 'occurrence',
          isAllDay: true,
          seriesMasterId: 'AAMkAGI2TG93AAAMaster=',
          originalStart: '2024-03-10T23:00:00Z',
          originalStartTimeZone: 'Europe/Paris',
          start: { dateTime: '2024-03-11T00:00:00.0000000', timeZone: 'UTC' },
          end: { dateTime: '2024-03-12T00:00:00.0000000', timeZone: 'UTC' },
        }),
        'Europe/Paris',
      ),
    );
    expect(event.recurrenceId).toBe('20240311');
  });

  it('reads a single event as no series', () => {
    const event = eventOf(mapGraphEvent(makeEvent({ originalStart: '2024-03-11T16:00:00Z' }), 'UTC'));
    expect(event.seriesId).toBeNull();
    expect(event.recurrenceId).toBeNull();
  });

  it('skips an event without an end, and one that ends before it starts', () => {
    expect(mapGraphEvent(makeEvent({ end: null }), 'UTC')).toEqual({ kind: 'skipped', reason: 'Event AAMkAGI2TG93AAA= has no end' });
    const backwards = mapGraphEvent(makeEvent({ end: { dateTime: '2016-12-09T19:00:00.0000000', timeZone: 'UTC' } }), 'UTC');
    expect(backwards).toEqual({ kind: 'skipped', reason: 'Event AAMkAGI2TG93AAA= ends before it starts' });
  });

  it('skips a timed event in a zone it cannot read instead of guessing', () => {
    const mapping = mapGraphEvent(
      makeEvent({
        start: { dateTime: '2016-12-09T20:30:00.0000000', timeZone: 'Pacific Standard Time' },
        end: { dateTime: '2016-12-09T22:00:00.0000000', timeZone: 'Pacific Standard Time' },
      }),
      'UTC',
    );
    expect(mapping.kind).toBe('skipped');
  });

  it('keeps a title-less event with a null title', () => {
    expect(eventOf(mapGraphEvent(makeEvent({ subject: undefined }), 'UTC')).title).toBeNull();
  });
});
