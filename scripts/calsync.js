#!/usr/bin/env node
// Runs the built gateway (dist/src/main.js) with the given command, in this process, compiling it
// first only when a source is newer than the build: `npm start`, `npm run cli` and the other
// scripts then start in the time their work takes. `--build` only brings the build up to date
// (the `prepare` script, run by `npm install` and `npm ci`). The web console (console/, Vite) is
// built the same way, into dist/console, when one of its sources is newer than its index.html.
'use strict';
const { execFileSync } = require('node:child_process');
const { existsSync, readdirSync, statSync } = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const ENTRY = path.join(ROOT, 'dist/src/main.js');
/** What the build is made of (tsconfig.build.json compiles src/ and migrations/). */
const SOURCES = ['src', 'migrations', 'tsconfig.json', 'tsconfig.build.json', 'package.json'];
const CONSOLE_INDEX = path.join(ROOT, 'dist/console/index.html');
const CONSOLE_CONFIG = path.join(ROOT, 'console/vite.config.ts');
/** What the console's build is made of (console/vite.config.ts bundles console/src). */
const CONSOLE_SOURCES = ['console', 'package.json'];

/** The latest modification time under `file` (a folder: of everything in it), in ms; 0 when missing. */
function newestChange(file) {
  const stats = statSync(file, { throwIfNoEntry: false });
  if (!stats) return 0;
  if (!stats.isDirectory()) return stats.mtimeMs;
  return Math.max(stats.mtimeMs, ...readdirSync(file).map((name) => newestChange(path.join(file, name))));
}

/** Compiles with the project's TypeScript unless the build is newer than every source. */
function buildIfStale() {
  const built = statSync(ENTRY, { throwIfNoEntry: false })?.mtimeMs ?? 0;
  if (Math.max(...SOURCES.map((source) => newestChange(path.join(ROOT, source)))) <= built) return;
  let tsc;
  try {
    tsc = require.resolve('typescript/bin/tsc', { paths: [ROOT] });
  } catch {
    // An install without dev dependencies runs the build it was given.
    if (built > 0) return;
    throw new Error('calsync: dist/ is missing and TypeScript is not installed; run `npm install` (with dev dependencies) first');
  }
  process.stderr.write('calsync: sources changed since the last build; compiling...\n');
  // --noEmitOnError: a failed build leaves the previous one, never a half-new dist/.
  execFileSync(process.execPath, [tsc, '-p', path.join(ROOT, 'tsconfig.build.json'), '--noEmitOnError'], { cwd: ROOT, stdio: 'inherit' });
}

/** Builds the console with the project's Vite unless its build is newer than every source of it. */
function buildConsoleIfStale() {
  // A copy without the console's sources (the API alone) has nothing to build; /console then answers 503.
  if (!existsSync(CONSOLE_CONFIG)) return;
  const built = statSync(CONSOLE_INDEX, { throwIfNoEntry: false })?.mtimeMs ?? 0;
  if (Math.max(...CONSOLE_SOURCES.map((source) => newestChange(path.join(ROOT, source)))) <= built) return;
  let vite;
  try {
    // vite/bin is not in Vite's package exports; its package.json is.
    vite = path.join(path.dirname(require.resolve('vite/package.json', { paths: [ROOT] })), 'bin/vite.js');
  } catch {
    // Without dev dependencies the API still runs; /console then answers 503 saying how to build it.
    if (built === 0) process.stderr.write('calsync: Vite is not installed, so the web console is not built; `npm install` with dev dependencies builds it\n');
    return;
  }
  process.stderr.write('calsync: console sources changed since the last build; building the console...\n');
  // Vite writes dist/console only after the bundle succeeded; a failed build throws here, exit code 1.
  execFileSync(process.execPath, [vite, 'build', '--config', CONSOLE_CONFIG, '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
}

try {
  buildIfStale();
  buildConsoleIfStale();
} catch (error) {
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}
if (process.argv[2] !== '--build') require(ENTRY);
