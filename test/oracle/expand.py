#!/usr/bin/python3
"""An independent oracle for Calsync's iCalendar expander (src/providers/ical/expand-calendar.ts).

Expands the VEVENTs of an .ics file with python-recurring-ical-events (Debian's
python3-recurring-ical-events 2.0.1 over python3-icalendar 4.0.3, dateutil and pytz) and prints
one JSON object a line for every occurrence that overlaps the UTC window [from, to):

    {"uid": ..., "recurrenceId": ..., "summary": ..., "start": ..., "end": ...,
     "allDay": ..., "status": ...}

- start and end are UTC ISO instants (`2024-01-15T08:00:00Z`). Floating DATE-TIMEs and DATEs are
  placed in ZONE, the expander's `timeZone` (a DATE at its local midnight), with the RFC 5545
  section 3.3.5 rules: a time skipped by a forward transition takes the offset before the gap,
  an ambiguous time its first occurrence (Python's zoneinfo with fold=0 does exactly that).
- recurrenceId is in the expander's form (see `identity` and `coerce` in expand-calendar.ts): a
  UTC `YYYYMMDDTHHMMSSZ` for timed series, `YYYYMMDD` for all-day series, null for an event that
  neither recurs (RRULE, RDATE) nor has overrides; an override's RECURRENCE-ID is first brought
  to its master's value type (a DATE-TIME keeps its written date, a DATE takes the master's time
  of day and zone).
- uid is null for a VEVENT without UID; summary and status are the component's own values (null
  when absent), status upper-cased.

The library reads what it reads; this script only feeds it and converts its answers:
- It is queried twice, once with the window as aware UTC instants (right for UTC and TZID values)
  and once as naive wall times of ZONE (right for floating and DATE values: the library compares
  those naively), each widened by two days; an occurrence is taken from the query matching its
  kind and then kept by the library's own `time_span_contains_event` on UTC instants.
- X-WR-TIMEZONE (a non-standard property) is not applied: `UnfoldableCalendar` is used instead of
  `of()`, whose x_wr_timezone step reinterprets UTC and floating times and, through pytz's
  `replace(tzinfo=...)`, gives floating times the zone's local mean time offset. Pass
  `--x-wr-timezone` to apply it anyway.
- Errors never crash it: a file the library cannot parse prints `{"error": ...}`; when expanding
  the whole calendar fails, each UID is expanded alone and a failing one prints
  `{"error": ..., "uid": ...}` while the others still print their occurrences.

Usage:
    expand.py [--x-wr-timezone] FILE FROM TO ZONE
    expand.py [--x-wr-timezone] --batch   JSON lines on stdin, {"id", "path", "from", "to", "timeZone"};
                                          every output line carries the request's "id".
"""
import datetime
import json
import sys
import traceback
import zoneinfo
from collections import OrderedDict

import icalendar
import recurring_ical_events
import x_wr_timezone
from icalendar.timezone_cache import _timezone_cache

UTC = datetime.timezone.utc
# Occurrences starting up to this much before the window may still run into it; the library
# widens by the event's duration itself, the margin absorbs the UTC-to-wall-time conversion.
MARGIN = datetime.timedelta(days=2)


def parse_instant(text):
    """A UTC ISO instant such as 2024-01-15T00:00:00Z or 2024-01-15T00:00:00.000Z."""
    value = datetime.datetime.fromisoformat(text.replace('Z', '+00:00'))
    if value.tzinfo is None:
        raise ValueError('window bound %r has no UTC offset' % text)
    return value.astimezone(UTC)


def read_calendars(path):
    """The VCALENDARs of a file; the library's global VTIMEZONE cache is cleared first."""
    # icalendar 4.0.3 keeps non-IANA VTIMEZONEs in a module-level cache keyed by TZID: a batch
    # must not let one file's "Custom" zone serve the next file.
    _timezone_cache.clear()
    with open(path, 'rb') as handle:
        # A byte order mark is an encoding artefact, not iCalendar content.
        text = handle.read().decode('utf-8-sig', errors='replace')
    return icalendar.Calendar.from_ical(text, multiple=True)


def is_timed(value):
    return isinstance(value, datetime.datetime)


def is_aware(value):
    return is_timed(value) and value.tzinfo is not None and value.utcoffset() is not None


def to_utc(value, zone):
    """A date, naive or aware datetime from the library as an aware UTC datetime."""
    if not is_timed(value):
        value = datetime.datetime(value.year, value.month, value.day)
    if value.tzinfo is None or value.utcoffset() is None:
        return value.replace(tzinfo=zone, fold=0).astimezone(UTC)
    return value.astimezone(UTC)


def iso(value):
    return value.strftime('%Y-%m-%dT%H:%M:%SZ')


def basic_utc(value):
    return value.strftime('%Y%m%dT%H%M%SZ')


def basic_date(value):
    return '%04d%02d%02d' % (value.year, value.month, value.day)


def text_of(component, name):
    value = component.get(name)
    if value is None:
        return None
    value = str(value)
    return value if value != '' else None


def has_rule(component):
    """A non-empty RRULE (an empty `RRULE:` adds nothing, as in the expander)."""
    rules = component.get('RRULE')
    rules = rules if isinstance(rules, list) else [rules]
    return any(rule for rule in rules if rule is not None)


def has_rdate(component):
    rdates = component.get('RDATE')
    rdates = rdates if isinstance(rdates, list) else [rdates]
    return any(getattr(rdate, 'dts', None) for rdate in rdates if rdate is not None)


class Series:
    """What the recurrence-id of an occurrence needs to know about its UID's components."""

    def __init__(self, events):
        self.masters = {}
        self.with_overrides = set()
        for event in events:
            uid = text_of(event, 'UID')
            if 'RECURRENCE-ID' in event:
                self.with_overrides.add(uid)
            elif 'DTSTART' in event:
                self.masters[uid] = event

    def recurrence_id(self, source, start, zone):
        """The expander's recurrence-id of an occurrence of `source` starting at `start`."""
        uid = text_of(source, 'UID')
        if 'RECURRENCE-ID' in source:
            value = source['RECURRENCE-ID'].dt
            master = self.masters.get(uid)
            if master is not None:
                value = coerce(value, master['DTSTART'].dt)
            return identity(value, zone)
        if not (has_rule(source) or has_rdate(source) or uid in self.with_overrides):
            return None
        # The start the library yields has the series' value type unless DTEND's differs.
        if not is_timed(source['DTSTART'].dt):
            return basic_date(start)
        return identity(start, zone)


def coerce(value, like):
    """`coerce` of expand-calendar.ts: a DATE-TIME keeps its written date, a DATE takes `like`'s time and zone."""
    if is_timed(value) == is_timed(like):
        return value
    if not is_timed(like):
        return value.date()
    local = datetime.datetime(value.year, value.month, value.day, like.hour, like.minute, like.second)
    if like.tzinfo is None:
        return local
    return like.tzinfo.localize(local) if hasattr(like.tzinfo, 'localize') else local.replace(tzinfo=like.tzinfo)


def identity(value, zone):
    return basic_utc(to_utc(value, zone)) if is_timed(value) else basic_date(value)


def occurrences_of(calendar, window, zone, apply_x_wr_timezone):
    """Occurrences of one calendar as (source, start, end) with UTC bounds, plus per-UID errors."""
    start, stop = window
    if apply_x_wr_timezone:
        calendar = x_wr_timezone.to_standard(calendar)
    aware_span = (start - MARGIN, stop + MARGIN)
    # The library compares floating and DATE values with naive bounds: ZONE's wall times.
    naive_span = tuple((bound.astimezone(zone) + shift).replace(tzinfo=None) for bound, shift in zip(window, (-MARGIN, MARGIN)))
    found = []
    for span, wants_aware in ((aware_span, True), (naive_span, False)):
        for event in recurring_ical_events.UnfoldableCalendar(calendar, keep_recurrence_attributes=True).between(*span):
            if is_aware(event['DTSTART'].dt) != wants_aware:
                continue
            begins = to_utc(event['DTSTART'].dt, zone)
            ends = to_utc(event['DTEND'].dt, zone)
            if ends < begins:
                ends = begins
            if recurring_ical_events.time_span_contains_event(start, stop, begins, ends, comparable=True):
                found.append((event, begins, ends))
    return found


def split_by_uid(calendar):
    """One calendar per UID, each with all the VTIMEZONEs and calendar properties."""
    groups = OrderedDict()
    zones = []
    for index, component in enumerate(calendar.subcomponents):
        if component.name == 'VEVENT':
            uid = text_of(component, 'UID')
            # VEVENTs without UID share no series: each is tried alone.
            groups.setdefault(uid if uid is not None else ('no UID', index), []).append(component)
        elif component.name == 'VTIMEZONE':
            zones.append(component)
    for group, events in groups.items():
        part = icalendar.Calendar()
        for key, value in calendar.items():
            part[key] = value
        for component in zones + events:
            part.add_component(component)
        yield (group if isinstance(group, str) else None), part


def expand(path, window, zone_name, apply_x_wr_timezone=False):
    """Yields the output objects of one request."""
    zone = zoneinfo.ZoneInfo(zone_name)
    try:
        calendars = read_calendars(path)
    except Exception as error:  # noqa: BLE001 - any parse failure is an answer, not a crash
        yield {'error': 'unreadable: %s: %s' % (type(error).__name__, error), 'uid': None}
        return
    for calendar in calendars:
        series = Series(calendar.walk('VEVENT'))
        try:
            found = occurrences_of(calendar, window, zone, apply_x_wr_timezone)
        except Exception:  # noqa: BLE001 - isolate the failing UID below
            found = []
            for uid, part in split_by_uid(calendar):
                try:
                    found.extend(occurrences_of(part, window, zone, apply_x_wr_timezone))
                except Exception as error:  # noqa: BLE001
                    yield {'error': '%s: %s' % (type(error).__name__, error), 'uid': uid}
        for event, begins, ends in found:
            status = text_of(event, 'STATUS')
            yield {
                'uid': text_of(event, 'UID'),
                'recurrenceId': series.recurrence_id(event, event['DTSTART'].dt, zone),
                'summary': text_of(event, 'SUMMARY'),
                'start': iso(begins),
                'end': iso(ends),
                'allDay': not is_timed(event['DTSTART'].dt),
                'status': status.upper() if status else None,
            }


def run(request, apply_x_wr_timezone, tag=None):
    try:
        window = (parse_instant(request['from']), parse_instant(request['to']))
        lines = list(expand(request['path'], window, request['timeZone'], apply_x_wr_timezone))
    except Exception as error:  # noqa: BLE001 - a bad request is reported, the batch goes on
        lines = [{'error': 'oracle failure: %s: %s\n%s' % (type(error).__name__, error, traceback.format_exc()), 'uid': None}]
    for line in lines:
        if tag is not None:
            line = dict(line, id=tag)
        sys.stdout.write(json.dumps(line, ensure_ascii=False) + '\n')


def main(argv):
    apply_x_wr_timezone = '--x-wr-timezone' in argv
    args = [arg for arg in argv if arg != '--x-wr-timezone']
    if args == ['--batch']:
        for line in sys.stdin:
            if line.strip():
                request = json.loads(line)
                run(request, apply_x_wr_timezone, tag=request.get('id'))
        return 0
    if len(args) != 4:
        sys.stderr.write(__doc__)
        return 2
    path, start, stop, zone = args
    run({'path': path, 'from': start, 'to': stop, 'timeZone': zone}, apply_x_wr_timezone)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
