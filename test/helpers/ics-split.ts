/** One calendar object resource's worth of an iCalendar file. */
export interface IcsObject {
  /** The components' UID; `missing-uid-<n>` for a component without one. */
  uid: string;
  /** A whole VCALENDAR with CRLF line endings. */
  text: string;
}

/** A content line as written (folds kept) and unfolded for reading. */
interface Line {
  raw: string[];
  unfolded: string;
}

interface Component {
  type: string;
  lines: Line[];
  uid: string | null;
  /** TZIDs the component's properties refer to (TZID parameters), upper-cased. */
  uses: Set<string>;
  /** For a VTIMEZONE, its own TZID, upper-cased. */
  tzid: string | null;
}

/** Splits text into content lines, joining folded continuations (RFC 5545 §3.1) for reading. */
function contentLines(ics: string): Line[] {
  const lines: Line[] = [];
  for (const physical of ics.split(/\r\n|\n|\r/)) {
    const last = lines[lines.length - 1];
    if ((physical.startsWith(' ') || physical.startsWith('\t')) && last) {
      last.raw.push(physical);
      last.unfolded += physical.slice(1);
    } else if (physical !== '') lines.push({ raw: [physical], unfolded: physical });
  }
  return lines;
}

/** The property name and parameters of a content line: everything before the first ':' outside quotes. */
function head(line: string): string {
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '"') quoted = !quoted;
    else if (line[i] === ':' && !quoted) return line.slice(0, i);
  }
  return line;
}

const nameOf = (line: string) => head(line).split(';')[0]!.toUpperCase();
const valueOf = (line: string) => line.slice(head(line).length + 1);

/**
 * Splits an iCalendar file the way calendar clients import one into a CalDAV collection: one
 * VCALENDAR per UID holding every component with that UID (a recurring master and its
 * RECURRENCE-ID overrides together), the calendar's own properties, and the VTIMEZONEs those
 * components refer to. METHOD is dropped: RFC 4791 §4.1 forbids it in stored calendar objects.
 * Lines are kept as written (folds included) and joined with CRLF.
 */
export function splitIcs(ics: string): IcsObject[] {
  const header: Line[] = [];
  const components: Component[] = [];
  let depth = 0;
  let current: Component | null = null;
  for (const line of contentLines(ics)) {
    const name = nameOf(line.unfolded);
    const value = valueOf(line.unfolded).trim().toUpperCase();
    if (name === 'BEGIN') {
      depth++;
      if (depth === 2) current = { type: value, lines: [], uid: null, uses: new Set(), tzid: null };
    }
    if (depth === 1 && name !== 'BEGIN' && name !== 'END') {
      // A file holding several VCALENDARs shares the first one's properties.
      if (name !== 'METHOD' && (components.length === 0 || !header.some((kept) => nameOf(kept.unfolded) === name))) header.push(line);
    } else if (current) {
      current.lines.push(line);
      const tzidParameter = /;TZID=("([^"]*)"|[^;:]*)/i.exec(head(line.unfolded));
      if (tzidParameter) current.uses.add((tzidParameter[2] ?? tzidParameter[1]!).toUpperCase());
      if (depth === 2 && name === 'UID' && current.uid === null) current.uid = valueOf(line.unfolded).trim();
      if (depth === 2 && name === 'TZID' && current.type === 'VTIMEZONE') current.tzid = valueOf(line.unfolded).trim().toUpperCase();
    }
    if (name === 'END') {
      if (depth === 2 && current) {
        components.push(current);
        current = null;
      }
      depth--;
    }
  }

  const timezones = components.filter((component) => component.type === 'VTIMEZONE');
  const groups = new Map<string, Component[]>();
  let missing = 0;
  for (const component of components) {
    if (component.type === 'VTIMEZONE') continue;
    const uid = component.uid ?? `missing-uid-${++missing}`;
    groups.set(uid, [...(groups.get(uid) ?? []), component]);
  }
  return [...groups].map(([uid, members]) => {
    const used = new Set(members.flatMap((member) => [...member.uses]));
    const parts = [...timezones.filter((timezone) => timezone.tzid && used.has(timezone.tzid)), ...members];
    const lines = [{ raw: ['BEGIN:VCALENDAR'] }, ...header, ...parts.flatMap((part) => part.lines), { raw: ['END:VCALENDAR'] }];
    return { uid, text: `${lines.flatMap((line) => line.raw).join('\r\n')}\r\n` };
  });
}
