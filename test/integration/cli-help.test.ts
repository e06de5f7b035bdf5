import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { buildGateway, runCli } from '../helpers/processes';

describe('the CLI\'s help', () => {
  beforeAll(() => buildGateway(), 120_000);

  it.each([[[]], [['help']], [['--help']], [['-h']], [['key', '--help']], [['tenant', 'create', '--help']]])('calsync %j prints the usage to stdout and exits 0', async (args: string[]) => {
    const stdout = await runCli(...args);
    expect(stdout).toMatch(/^Usage: calsync <command>/);
    for (const command of ['serve', 'worker', 'migrate', 'tenant create', 'tenant features', 'key create', 'key list', 'key revoke', 'schema']) expect(stdout).toContain(`  ${command}`);
  });

  it('an unknown command prints the usage to stderr and exits 1', async () => {
    const failed = await promisify(execFile)(process.execPath, [path.resolve(__dirname, '../../dist/src/main.js'), 'frobnicate'], { env: { ...process.env, LOG_LEVEL: 'silent' } }).catch((error: { code: number; stdout: string; stderr: string }) => error);
    expect(failed).toMatchObject({ code: 1, stdout: '' });
    expect((failed as { stderr: string }).stderr).toMatch(/^Usage: calsync <command>/);
  });
});
