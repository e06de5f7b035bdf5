import { execFile } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, rmSync, symlinkSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const ROOT = path.resolve(__dirname, '../..');

/** scripts/calsync.js in a copy of the project, so that its builds do not touch the dist/ other tests run. */
describe('the launcher behind npm start and npm run cli', () => {
  let copy: string;
  const run = (...args: string[]) =>
    promisify(execFile)(process.execPath, [path.join(copy, 'scripts/calsync.js'), ...args], { cwd: copy, env: { ...process.env, LOG_LEVEL: 'silent' } }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
    );

  beforeAll(() => {
    copy = mkdtempSync(path.join(tmpdir(), 'calsync-launcher-'));
    for (const entry of ['src', 'migrations', 'scripts', 'tsconfig.json', 'tsconfig.build.json', 'package.json'])
      cpSync(path.join(ROOT, entry), path.join(copy, entry), { recursive: true });
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(copy, 'node_modules'));
  });
  afterAll(() => rmSync(copy, { recursive: true, force: true }));

  it('compiles when there is no build, then runs the built code without compiling again', async () => {
    const first = await run('help');
    expect(first).toMatchObject({ code: 0, stderr: 'calsync: sources changed since the last build; compiling...\n' });
    expect(first.stdout).toMatch(/^Usage: calsync <command>/);
    const second = await run('help');
    expect(second).toMatchObject({ code: 0, stderr: '' });
    expect(second.stdout).toBe(first.stdout);
  }, 120_000);

  it('compiles again once a source is newer than the build, and `--build` only builds', async () => {
    // Now: later than the last build, and earlier than the next one (a source dated in the future would stay newer).
    const now = new Date();
    utimesSync(path.join(copy, 'src/config.ts'), now, now);
    expect(await run('--build')).toEqual({ code: 0, stdout: '', stderr: 'calsync: sources changed since the last build; compiling...\n' });
    expect(await run('--build')).toEqual({ code: 0, stdout: '', stderr: '' });
  }, 120_000);

  it("stops with exit code 1 and the compiler's errors when the sources do not compile, keeping the last build", async () => {
    appendFileSync(path.join(copy, 'src/config.ts'), '\nexport const broken: number = "not a number";\n');
    const failed = await run('help');
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain("error TS2322: Type 'string' is not assignable to type 'number'");
    // --noEmitOnError: the previous build is whole, and `node dist/src/main.js` still answers.
    const { stdout } = await promisify(execFile)(process.execPath, [path.join(copy, 'dist/src/main.js'), 'help'], { cwd: copy });
    expect(stdout).toMatch(/^Usage: calsync <command>/);
  }, 120_000);
});
