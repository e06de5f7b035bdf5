/**
 * The shared folder of real-world iCalendar files (see ../shared/fixtures/README.md), and a
 * guard for the suites that read it: it sits beside the repository in CI and on the team's
 * machines, but a plain clone has no ../shared, and `npm test` must still pass there.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** The fixture folder, `../shared/fixtures/ics` relative to the repository (CALSYNC_FIXTURES names another, e.g. to try the guard). */
export const FIXTURES = process.env.CALSYNC_FIXTURES ?? path.resolve(__dirname, '../../../shared/fixtures/ics');

/** Something a suite needs besides its code: why it is missing, or null when it is there. */
export interface Requirement {
  missing(): string | null;
}

/** The fixture folder as a requirement. */
export const fixtureFolder: Requirement = {
  missing: () => (existsSync(FIXTURES) ? null : `the fixture folder ${FIXTURES} is missing (it is ../shared/fixtures/ics beside the repository in CI)`),
};

/**
 * `describe` when every requirement is met. Otherwise the suite is skipped loudly (a
 * console.warn with the reason, and a todo named after it) or, when process.env.CI is set,
 * replaced by a failing test, so that CI cannot go green by silently running nothing.
 * @param requirements defaults to the fixture folder alone.
 */
export function describeWithFixtures(name: string, body: () => void, requirements: Requirement[] = [fixtureFolder]): void {
  const reasons = requirements.map((requirement) => requirement.missing()).filter((reason): reason is string => reason !== null);
  if (reasons.length === 0) return describe(name, body);
  const message = `"${name}" cannot run: ${reasons.join('; ')}`;
  if (process.env.CI) {
    describe(name, () =>
      it('needs its fixtures', () => {
        throw new Error(message);
      }),
    );
    return;
  }
  console.warn(`\n*** SKIPPED: ${message} ***\n`);
  // Jest shows nothing of a file whose tests are all skipped, the warning included: a todo keeps
  // the file, and the reason in its name, in the report without a test that cannot fail.
  describe(name, () => it.todo(`SKIPPED: ${reasons.join('; ')}`));
  describe.skip(name, body);
}

/** Every `.ics` file under the fixture folder, as paths relative to it, sorted; empty when the folder is missing. */
export function fixtureFiles(): string[] {
  if (!existsSync(FIXTURES)) return [];
  const walk = (folder: string): string[] =>
    readdirSync(folder).flatMap((entry) => {
      const full = path.join(folder, entry);
      if (statSync(full).isDirectory()) return walk(full);
      return entry.endsWith('.ics') ? [path.relative(FIXTURES, full)] : [];
    });
  return walk(FIXTURES).sort();
}
