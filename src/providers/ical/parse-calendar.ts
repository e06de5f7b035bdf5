/**
 * Tolerant parsing of iCalendar text into VEVENT components with their calendar's time zones.
 * When ical.js rejects the whole text (one bad line is enough), the VEVENT and VTIMEZONE blocks
 * are parsed one by one so that a single broken event does not hide the others, and a block that
 * still fails is tried once more with its lines repaired (see repair-lines.ts).
 */
import { LRUCache } from 'lru-cache';
import type { SkippedEvent } from '../provider';
import ICAL, { type IcalComponent } from './ical-module';
import { repairLines } from './repair-lines';
import { vtimezoneOffsets, type VtimezoneOffsets } from './vtimezone';

/** Resolves a TZID to the VTIMEZONE definition of the calendar that uses it, or null. */
export type VtimezoneLookup = (tzid: string) => VtimezoneOffsets | null;

/** A VEVENT and the VTIMEZONEs of the calendar it came from. */
export interface SourcedEvent {
  vevent: IcalComponent;
  vtimezones: VtimezoneLookup;
}

/** Result of {@link parseCalendars}. */
export interface ParsedCalendars {
  events: SourcedEvent[];
  /** Blocks that could not be parsed, and inputs with no VCALENDAR at all. */
  skipped: SkippedEvent[];
}

/**
 * Parses one VCALENDAR or several concatenated ones (RFC 5545 section 3.4) and returns their
 * VEVENTs in input order. Never throws.
 */
export function parseCalendars(ics: string): ParsedCalendars {
  const text = ics.replace(/^\uFEFF/, '');
  let roots: IcalComponent[];
  try {
    const parsed = ICAL.parse(text) as unknown[];
    roots = (typeof parsed[0] === 'string' ? [parsed] : parsed).map((jcal) => new ICAL.Component(jcal as unknown[]));
  } catch (error) {
    return parseBlockByBlock(text, (error as Error).message);
  }
  const calendars = roots.filter((root) => root.name === 'vcalendar');
  if (calendars.length === 0) return { events: [], skipped: [{ uid: null, reason: 'No VCALENDAR component in the input' }] };
  return {
    events: calendars.flatMap((calendar) => {
      const vtimezones = lookup(calendar.getAllSubcomponents('vtimezone'));
      return calendar.getAllSubcomponents('vevent').map((vevent) => ({ vevent, vtimezones }));
    }),
    skipped: [],
  };
}

// The blocks lose the calendar they belonged to: the VTIMEZONEs of all calendars in the text
// serve every VEVENT, the first definition of a TZID winning.
function parseBlockByBlock(text: string, wholeError: string): ParsedCalendars {
  const blocks = splitBlocks(text);
  const zones = blocks.filter((block) => block.name === 'VTIMEZONE').map((block) => parseBlock(block.lines));
  const vtimezones = lookup(zones.filter((zone): zone is IcalComponent => typeof zone !== 'string'));
  const result: ParsedCalendars = { events: [], skipped: [] };
  for (const block of blocks.filter((candidate) => candidate.name === 'VEVENT')) {
    const parsed = parseBlock(block.lines);
    if (typeof parsed !== 'string') result.events.push({ vevent: parsed, vtimezones });
    else {
      const uid = block.lines.find((line) => /^UID[:;]/i.test(line))?.replace(/^[^:]*:/, '') ?? null;
      result.skipped.push({ uid, reason: `Unparseable VEVENT: ${parsed}` });
    }
  }
  if (blocks.every((block) => block.name !== 'VEVENT')) result.skipped.push({ uid: null, reason: `Unparseable iCalendar: ${wholeError}` });
  return result;
}

/** A top-level VEVENT or VTIMEZONE block, with its nested components (VALARM, STANDARD...). */
interface Block {
  name: 'VEVENT' | 'VTIMEZONE';
  lines: string[];
}

/** Cuts the text into blocks by their BEGIN/END lines; a block the text ends inside is kept as is. */
function splitBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  let current: Block | null = null;
  let depth = 0;
  for (const line of text.split(/\r\n|\n|\r/)) {
    const marker = /^(BEGIN|END):(\S+)\s*$/i.exec(line);
    const begins = marker?.[1].toUpperCase() === 'BEGIN';
    if (!current) {
      const name = begins ? marker?.[2].toUpperCase() : null;
      if (name !== 'VEVENT' && name !== 'VTIMEZONE') continue;
      current = { name, lines: [] };
      depth = 0;
    }
    current.lines.push(line);
    if (marker) depth += begins ? 1 : -1;
    if (depth === 0) {
      blocks.push(current);
      current = null;
    }
  }
  if (current) blocks.push(current);
  return blocks;
}

/** The parsed component, or the parser's error message; a block ical.js rejects is tried again repaired. */
function parseBlock(lines: string[]): IcalComponent | string {
  const parse = (text: string[]): IcalComponent => new ICAL.Component(ICAL.parse(text.join('\r\n')) as unknown[]);
  try {
    return parse(lines);
  } catch (error) {
    const repaired = repairLines(lines);
    if (repaired) {
      try {
        return parse(repaired);
      } catch {
        // The original message names the first problem, which the repair did not cure.
      }
    }
    return (error as Error).message;
  }
}

function lookup(vtimezones: IcalComponent[]): VtimezoneLookup {
  const cache = new Map<string, VtimezoneOffsets | null>();
  return (tzid) => {
    if (!cache.has(tzid)) cache.set(tzid, offsetsOf(vtimezones.find((zone) => zone.getFirstPropertyValue('tzid') === tzid)));
    return cache.get(tzid) ?? null;
  };
}

// Expanding a VTIMEZONE is the dearest step of a small calendar object (ical.js iterates its
// observance rules from their DTSTART, often 1601 or 1970, up to the years asked for: some 10 ms),
// and a sync reads the same VTIMEZONE in every object of a calendar. Zones are shared by their text.
const ZONES = new LRUCache<string, { zone: VtimezoneOffsets | null }>({ max: 500 });

/** A VTIMEZONE that ical.js cannot expand counts as missing: its TZID is then resolved by name. */
function offsetsOf(vtimezone: IcalComponent | undefined): VtimezoneOffsets | null {
  if (!vtimezone) return null;
  const key = vtimezone.toString();
  let cached = ZONES.get(key);
  if (!cached) {
    try {
      cached = { zone: vtimezoneOffsets(vtimezone) };
    } catch {
      cached = { zone: null };
    }
    ZONES.set(key, cached);
  }
  return cached.zone;
}
