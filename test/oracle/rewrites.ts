/**
 * Rewrites of a fixture for the oracle only, for inputs recurring_ical_events 2.0.1 reads
 * otherwise than RFC 5545 says: the oracle then answers for what the file means, and the
 * comparison with the expander stays exact. Each use is a documented difference.
 */
import type { Rewrite } from './compare';

/**
 * Replaces each `from` (a text, or a pattern replaced everywhere) by its `to`, failing loudly when
 * one does not occur (the fixture changed), unless the text is only part of the file (`partial`).
 */
export function replacing(pairs: [string | RegExp, string][]): Rewrite {
  return (ics, options) =>
    pairs.reduce((text, [from, to]) => {
      const pattern =
        typeof from === 'string' ? new RegExp(from.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'), 'g') : new RegExp(from.source, `${from.flags.replace('g', '')}g`);
      if (!pattern.test(text)) {
        if (options?.partial) return text;
        throw new Error(`rewrite: ${String(from)} does not occur`);
      }
      return text.replace(pattern, to);
    }, ics);
}

interface Block {
  start: number;
  end: number;
  key: string;
  sequence: number;
}

/**
 * The text without the VEVENTs a newer revision of the same component supersedes (same UID and
 * RECURRENCE-ID; the higher SEQUENCE wins, section 3.8.7.4, then the later in the text): the
 * library keeps every copy whose DTSTART falls on another day than the newer one's.
 */
export function withoutSupersededRevisions(ics: string): string {
  const lines = ics.split(/\r\n|\n|\r/);
  const blocks: Block[] = [];
  let begin = -1;
  for (const [index, line] of lines.entries()) {
    if (/^BEGIN:VEVENT\s*$/i.test(line)) begin = index;
    else if (/^END:VEVENT\s*$/i.test(line) && begin >= 0) {
      const unfolded = lines
        .slice(begin, index + 1)
        .join('\n')
        .replace(/\n[ \t]/g, '')
        .split('\n');
      const value = (name: string) => unfolded.find((entry) => new RegExp(`^${name}[;:]`, 'i').test(entry))?.replace(/^[^:]*:/, '') ?? '';
      blocks.push({ start: begin, end: index, key: `${value('UID')}\n${value('RECURRENCE-ID')}`, sequence: Number(value('SEQUENCE')) || 0 });
      begin = -1;
    }
  }
  const newest = new Map<string, Block>();
  for (const block of blocks) {
    const kept = newest.get(block.key);
    if (!kept || block.sequence >= kept.sequence) newest.set(block.key, block);
  }
  const dropped = blocks.filter((block) => newest.get(block.key) !== block);
  return lines.filter((_, index) => !dropped.some((block) => index >= block.start && index <= block.end)).join('\r\n');
}

const unfold = (text: string) => text.replace(/\r\n|\r/g, '\n').replace(/\n[ \t]/g, '');

/**
 * A file's rewrite applied to the calendar objects a server holds of it, one by one: each object
 * holds one UID of the file, so what the rewrite replaces need not occur in every one. The objects
 * are unfolded first (RFC 5545 section 3.1): servers that re-serialise fold lines at other places
 * than the file did, and a rewrite is written against the file's lines.
 * @returns the texts, and whether the rewrite changed any of them.
 */
export function rewriteObjects(texts: string[], rewrite: Rewrite): { texts: string[]; changed: boolean } {
  let changed = false;
  const rewritten = texts.map((text) => {
    const unfolded = unfold(text);
    const next = rewrite(unfolded, { partial: true });
    changed ||= unfold(next) !== unfolded;
    return next;
  });
  return { texts: rewritten, changed };
}
