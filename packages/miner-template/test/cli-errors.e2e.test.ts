/**
 * `aml-miner` as a child process, for the mistakes a new user makes (issue 14): one line
 * `error [CODE]: message` with exit 2 for usage, commander's "did you mean" folded in, checks that
 * need no data made before the slow ones, and `--version`. docs/errors.md states the rule; the
 * subnet's bins are held to the same one in packages/subnet/test/cli-errors.e2e.test.ts.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_DIR, type Run, runCli } from './cli-process.js';

const run = runCli;

function failsWith(r: Run, code: number, line: string): void {
  expect({ code: r.code, stderr: r.stderr }).toEqual({ code, stderr: `${line}\n` });
}

let dir: string;
let busy: Server;
let busyPort: number;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'aml-miner-cli-'));
  busy = createServer();
  await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
  busyPort = (busy.address() as { port: number }).port;
});
afterAll(async () => {
  busy.close();
  await rm(dir, { recursive: true, force: true });
});

describe('aml-miner: one-line errors', () => {
  it('prints its version', async () => {
    const { version } = JSON.parse(await readFile(join(PACKAGE_DIR, 'package.json'), 'utf8'));
    expect(await run(['--version'])).toEqual({ code: 0, stdout: `aml-miner ${version}\n`, stderr: '' });
  });

  it('folds "did you mean" into one usage line, for commands and for a subcommand\'s options', async () => {
    const [command, option] = await Promise.all([run(['servee']), run(['serve', '--portt', '8000'])]);
    failsWith(
      command,
      2,
      "error [AML_ERR_CLI_USAGE]: unknown command 'servee' (did you mean serve?); see aml-miner --help",
    );
    failsWith(
      option,
      2,
      "error [AML_ERR_CLI_USAGE]: unknown option '--portt' (did you mean --port?); see aml-miner serve --help",
    );
  });

  it('marks required options in help, and names a missing one in one line', async () => {
    const [help, missing] = await Promise.all([run(['generate', '--help']), run(['generate'])]);
    expect(help.code).toBe(0);
    expect(help.stdout.replace(/\s+/g, ' ')).toContain(
      '--date <YYYY-MM-DD> processing date (the window ends at the end of this day, UTC) (required)',
    );
    failsWith(
      missing,
      2,
      "error [AML_ERR_CLI_USAGE]: required option '--date <YYYY-MM-DD>' not specified; see aml-miner generate --help",
    );
  });

  it('refuses a port out of range and a port in use', async () => {
    const [range, inUse] = await Promise.all([
      run(['serve', '--port', '99999']),
      run(['serve', '--host', '127.0.0.1', '--port', String(busyPort), '--log-level', 'silent']),
    ]);
    failsWith(
      range,
      2,
      'error [AML_ERR_CONFIG_INVALID]: invalid configuration: --port="99999": Too big: expected number to be <=65535',
    );
    failsWith(
      inUse,
      2,
      `error [AML_ERR_CONFIG_PORT_IN_USE]: address 127.0.0.1:${busyPort} is already in use (another process listens there: stop it or choose another port)`,
    );
  });

  it('train checks --param names before reading any batch', async () => {
    // the data folder does not exist: reading it would fail too, but the typo is named first
    failsWith(
      await run([
        'train',
        'scorer',
        '--data-dir',
        join(dir, 'no-data'),
        '--param',
        'num_leafs=15',
        '--quiet',
      ]),
      2,
      'error [AML_ERR_GBDT_PARAM]: invalid GBDT parameter num_leafs: unknown or unsupported parameter',
    );
  });
});
