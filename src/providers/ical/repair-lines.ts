/**
 * Repairs of the content-line mistakes real calendars make that ical.js rejects a whole
 * component for, tried only on a VEVENT or VTIMEZONE block that failed to parse.
 */

// A content line (RFC 5545 section 3.1) begins with a name (iana-token or x-name) and then a
// parameter or the value: `NAME;` or `NAME:`.
const CONTENT_LINE = /^[A-Za-z0-9-]+[;:]/;
const RULE_LINE = /^(RRULE|EXRULE)([;:])(.*)$/i;

/**
 * The logical lines of a block with three mistakes mended:
 * - blank lines, which section 3.1 does not allow, are dropped, so that a fold interrupted by
 *   one (Mozilla's `UID` CRLF CRLF ` :956630271`) still joins its line;
 * - lines that are no content line at all (`X-APPLE-RADIUS=49.9`, `SUMMARY=testevent`) are
 *   dropped, as a lenient parser drops a property it cannot read;
 * - white space inside an RRULE or EXRULE value (Exchange CDO's `BYDAY=MO, TU, WE`), which the
 *   section 3.3.10 grammar has no place for, is removed.
 * @param lines the physical lines of the block, BEGIN and END included.
 * @returns the repaired logical lines (unfolded, which ical.js accepts), or null when nothing changed.
 */
export function repairLines(lines: string[]): string[] | null {
  const logical: string[] = [];
  let changed = false;
  for (const line of lines) {
    if (line.trim() === '') changed = true;
    else if (/^[ \t]/.test(line) && logical.length > 0) logical[logical.length - 1] += line.slice(1);
    else logical.push(line);
  }
  const repaired = logical.flatMap((line) => {
    if (!CONTENT_LINE.test(line)) return [];
    const rule = RULE_LINE.exec(line);
    if (!rule) return [line];
    const colon = rule[3].lastIndexOf(':');
    // `RRULE;X-PARAM=...:FREQ=...`: only the value after the last colon is the rule.
    const [head, value] = rule[2] === ':' ? ['', rule[3]] : [rule[3].slice(0, colon + 1), rule[3].slice(colon + 1)];
    return [`${rule[1]}${rule[2]}${head}${value.replace(/\s+/g, '')}`];
  });
  changed ||= repaired.length !== logical.length || repaired.some((line, index) => line !== logical[index]);
  return changed ? repaired : null;
}
