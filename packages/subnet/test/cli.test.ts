import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildMinerProxyProgram } from '../src/axon/cli-program.js';

describe('aml-miner-proxy CLI', () => {
  it('documents its flags in --help', async () => {
    let out = '';
    const program = buildMinerProxyProgram({ write: (t) => (out += t) }).exitOverride();
    await expect(program.parseAsync(['node', 'aml-miner-proxy', '--help'])).rejects.toMatchObject({
      code: 'commander.helpDisplayed',
    });
    for (const flag of [
      '--netuid',
      '--wallet.name',
      '--wallet.hotkey',
      '--miner.api_url',
      '--axon.port',
      '--axon.external_ip',
      '--blacklist.min_stake',
      '--subtensor.network',
    ]) {
      expect(out).toContain(flag);
    }
  });
  it('creates a wallet hotkey in the Bittensor layout', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'aml-cli-'));
    let out = '';
    await buildMinerProxyProgram({ write: (t) => (out += t) }).parseAsync([
      'node',
      'aml-miner-proxy',
      'wallet',
      'create',
      '--wallet.name',
      'w',
      '--wallet.hotkey',
      'h',
      '--wallet.path',
      dir,
    ]);
    const file = join(dir, 'w', 'hotkeys', 'h');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const address = JSON.parse(await readFile(file, 'utf8')).ss58Address as string;
    expect(out).toContain(`ss58Address: ${address}`);
    await rm(dir, { recursive: true, force: true });
  });
  it('refuses --subtensor.network when no chain client is wired', async () => {
    const program = buildMinerProxyProgram({ write: () => {} });
    await expect(
      program.parseAsync(['node', 'aml-miner-proxy', '--subtensor.network', 'finney'], { from: 'node' }),
    ).rejects.toThrow(/chain client/);
  });
});
