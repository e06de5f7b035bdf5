import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { buildGateway, runCli, runCliWith } from '../helpers/processes';

describe("the CLI's help", () => {
  beforeAll(() => buildGateway(), 120_000);

  it.each([[[]], [['help']], [['--help']], [['-h']], [['key', '--help']], [['tenant', 'create', '--help']], [['sync', '--help']], [['ingest', 'x', '-h']]])(
    'calsync %j prints the usage to stdout and exits 0',
    async (args: string[]) => {
      const stdout = await runCli(...args);
      expect(stdout).toMatch(/^Usage: calsync <command>/);
      for (const command of [
        'serve',
        'worker',
        'migrate',
        'tenant create',
        'tenant features',
        'key create',
        'key list',
        'key revoke',
        'sync',
        'ingest',
        'schema',
      ])
        expect(stdout).toContain(`  ${command}`);
    },
  );

  it('an unknown command prints the usage to stderr and exits 1', async () => {
    const failed = await promisify(execFile)(process.execPath, [path.resolve(__dirname, '../../dist/src/main.js'), 'frobnicate'], {
      env: { ...process.env, LOG_LEVEL: 'silent' },
    }).catch((error: { code: number; stdout: string; stderr: string }) => error);
    expect(failed).toMatchObject({ code: 1, stdout: '' });
    expect((failed as { stderr: string }).stderr).toMatch(/^Usage: calsync <command>/);
  });

  it.each([
    [['serve', '--no-workers'], "calsync serve: Unknown option '--no-workers'\nUsage:\n  serve [--no-worker]"],
    [['tenant', 'create'], 'calsync tenant create: Missing <name>\nUsage:\n  tenant create <name>'],
    [['tenant', 'features', 't', '--enable'], "calsync tenant features: Option '--enable <value>' argument missing\nUsage:\n  tenant features <tenantId>"],
    [['key', 'create', 'acme', '--read-only=yes'], "calsync key create: Option '--read-only' does not take an argument\nUsage:\n  key create <tenant>"],
    [['key', 'revoke', 'a', 'b'], "calsync key revoke: Unexpected argument 'b'\nUsage:\n  key revoke <keyId>"],
    [
      ['ingest', 'r', '--from', 'soon', '--to', 'later'],
      "calsync ingest: --from must be an ISO 8601 instant with an offset, e.g. 2026-12-01T00:00:00Z (got 'soon')\nUsage:\n  ingest <resourceId>",
    ],
  ])("calsync %j names what is wrong and the command's usage on stderr, exit code 1", async (args: string[], message: string) => {
    const result = await runCliWith({ LOG_LEVEL: 'silent' }, ...args);
    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(result.stderr.startsWith(message)).toBe(true);
  });
});
