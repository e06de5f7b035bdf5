/**
 * ical.js for this CommonJS code base. The package declares `"type": "module"`, so TypeScript
 * (`module: node16`) rejects `import ICAL from 'ical.js'` with TS1479 even though `require`
 * resolves to the package's own CommonJS build (`exports.require` = `dist/ical.es5.cjs`). The
 * types are therefore imported type-only in ESM resolution mode and the value is required.
 */
import type IcalModule from 'ical.js' with { 'resolution-mode': 'import' };

// eslint-disable-next-line @typescript-eslint/no-require-imports -- see above: the value cannot be imported
const ICAL: typeof IcalModule = require('ical.js');

export default ICAL;

/** The ical.js classes used as types; values come from the default export (`ICAL.Component`...). */
export type IcalComponent = IcalModule.Component;
export type IcalProperty = IcalModule.Property;
export type IcalRecur = IcalModule.Recur;
export type IcalRecurIterator = IcalModule.RecurIterator;
export type IcalTime = IcalModule.Time;
export type IcalDuration = IcalModule.Duration;
