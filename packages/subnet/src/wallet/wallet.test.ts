import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cryptoReady } from '../protocol/signing.js';
import { createHotkeyFile, hotkeyFilePath, loadHotkey, loadHotkeyFile, loadHotkeyFromEnv } from './hotkey.js';
import { encryptionOf } from './keyfile.js';

// Substrate's published dev phrase, its mini-secret seed and its sr25519 SS58 (prefix 42) address.
const DEV_PHRASE = 'bottom drive obey lake curtain smoke basket hold race lonely fit walk';
const DEV_SEED = '0xfac7959dbfe72f052e5a0c3c8d6530f202b02fd8f9f5ca3580ec8deb7797479e';
const DEV_ADDRESS = '5DfhGyQdFobKM8NsWvEeAKk5EQQgYe9AydgJ7rMB6E1EqRzV';

let dir: string;
beforeAll(async () => {
  await cryptoReady();
  dir = await mkdtemp(join(tmpdir(), 'aml-wallet-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function writeHotkey(name: string, content: string) {
  const file = hotkeyFilePath({ path: dir, name, hotkey: 'default' });
  await mkdir(join(file, '..'), { recursive: true });
  await writeFile(file, content);
  return { path: dir, name, hotkey: 'default' };
}

describe('wallet files', () => {
  it('lays files out as {path}/{name}/hotkeys/{hotkey}', () => {
    expect(hotkeyFilePath({ path: '/w', name: 'miner', hotkey: 'hk' })).toBe('/w/miner/hotkeys/hk');
    expect(hotkeyFilePath({ name: 'a', hotkey: 'b' })).toMatch(/\.bittensor\/wallets\/a\/hotkeys\/b$/);
  });
  it('loads a Bittensor hotkey file by seed or by phrase and checks its address', async () => {
    const bySeed = await loadHotkeyFile(
      await writeHotkey('seed', JSON.stringify({ secretSeed: DEV_SEED, ss58Address: DEV_ADDRESS })),
    );
    expect(bySeed.ss58Address).toBe(DEV_ADDRESS);
    expect(bySeed.signer.address).toBe(DEV_ADDRESS);
    const byPhrase = await loadHotkeyFile(
      await writeHotkey(
        'phrase',
        JSON.stringify({ secretPhrase: DEV_PHRASE, ss58Address: DEV_ADDRESS, accountId: '0x00' }),
      ),
    );
    expect(byPhrase.ss58Address).toBe(DEV_ADDRESS);
    const wrong = await writeHotkey(
      'wrong',
      JSON.stringify({
        secretSeed: DEV_SEED,
        ss58Address: '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY',
      }),
    );
    await expect(loadHotkeyFile(wrong)).rejects.toMatchObject({ code: 'AML_ERR_WALLET_ADDRESS_MISMATCH' });
  });
  it('refuses encrypted files, naming the supported formats', async () => {
    expect(encryptionOf('$NACL...')).toBe('NaCl secretbox');
    const loc = await writeHotkey('enc', '$NACLxxxxxxxxxxxx');
    const err = (await loadHotkeyFile(loc).catch((e: unknown) => e)) as Error & { code: string };
    expect(err.code).toBe('AML_ERR_WALLET_ENCRYPTED');
    expect(err.message).toMatch(/unencrypted Bittensor hotkey JSON.*AML_HOTKEY_MNEMONIC/);
    await expect(loadHotkeyFile(await writeHotkey('garbage', 'not json'))).rejects.toMatchObject({
      code: 'AML_ERR_WALLET_FORMAT',
    });
    await expect(loadHotkeyFile({ path: dir, name: 'missing', hotkey: 'x' })).rejects.toMatchObject({
      code: 'AML_ERR_WALLET_NOT_FOUND',
    });
  });
  it('creates a 0600 file in the Bittensor layout that loads back', async () => {
    const loc = { path: dir, name: 'new', hotkey: 'hk' };
    const created = await createHotkeyFile(loc);
    const file = hotkeyFilePath(loc);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const json = JSON.parse(await readFile(file, 'utf8'));
    expect(Object.keys(json)).toEqual([
      'accountId',
      'publicKey',
      'privateKey',
      'secretPhrase',
      'secretSeed',
      'ss58Address',
    ]);
    expect(json.secretPhrase.split(' ')).toHaveLength(12);
    expect((await loadHotkeyFile(loc)).ss58Address).toBe(created.ss58Address);
    await expect(createHotkeyFile(loc)).rejects.toMatchObject({ code: 'AML_ERR_WALLET_EXISTS' });
    // The same phrase through the file writer reproduces the published dev address.
    const dev = await createHotkeyFile({ path: dir, name: 'dev', hotkey: 'hk' }, { mnemonic: DEV_PHRASE });
    expect(dev.ss58Address).toBe(DEV_ADDRESS);
    expect(
      JSON.parse(await readFile(hotkeyFilePath({ path: dir, name: 'dev', hotkey: 'hk' }), 'utf8')).secretSeed,
    ).toBe(DEV_SEED);
  });
  it('prefers a key from the environment', async () => {
    expect(loadHotkeyFromEnv({ AML_HOTKEY_MNEMONIC: DEV_PHRASE })?.ss58Address).toBe(DEV_ADDRESS);
    expect(loadHotkeyFromEnv({ AML_HOTKEY_SEED: DEV_SEED })?.ss58Address).toBe(DEV_ADDRESS);
    expect(loadHotkeyFromEnv({})).toBeUndefined();
    expect(() => loadHotkeyFromEnv({ AML_HOTKEY_MNEMONIC: 'one two three' })).toThrow(/mnemonic/);
    const viaEnv = await loadHotkey(
      { path: dir, name: 'missing', hotkey: 'x' },
      { AML_HOTKEY_SEED: DEV_SEED },
    );
    expect(viaEnv.source).toBe('AML_HOTKEY_SEED');
  });
});
