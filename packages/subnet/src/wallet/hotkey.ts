/**
 * Loading and creating sr25519 hotkeys (docs/chain.md): from Bittensor's wallet layout
 * `{path}/{name}/hotkeys/{hotkey}`, from AML_HOTKEY_MNEMONIC / AML_HOTKEY_SEED, or freshly
 * generated and written with mode 0600. A loaded key must derive the file's `ss58Address`.
 * Callers must have awaited `cryptoReady()` (protocol/signing.ts) first.
 */
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import { hexToU8a, u8aToHex } from '@polkadot/util';
import {
  encodeAddress,
  mnemonicGenerate,
  mnemonicToMiniSecret,
  mnemonicValidate,
  sr25519PairFromSeed,
} from '@polkadot/util-crypto';
import { amlError, ERRORS } from '../errors.js';
import type { Signer } from '../protocol/signing.js';
import { createSr25519Signer } from '../protocol/signing.js';
import type { HotkeyFileData } from './keyfile.js';
import { parseHotkeyFile, serializeHotkeyFile } from './keyfile.js';

/** Bittensor's SS58 prefix (generic substrate). */
export const SS58_PREFIX = 42;
export const DEFAULT_WALLET_PATH = '~/.bittensor/wallets';
export const ENV_MNEMONIC = 'AML_HOTKEY_MNEMONIC';
export const ENV_SEED = 'AML_HOTKEY_SEED';

export interface WalletLocation {
  /** --wallet.path; `~` expands to the home directory. */
  path?: string;
  /** --wallet.name */
  name: string;
  /** --wallet.hotkey */
  hotkey: string;
}

export interface Hotkey {
  readonly pair: KeyringPair;
  /** A fast signer for the same key (WASM sr25519); use it on hot paths. */
  readonly signer: Signer;
  readonly ss58Address: string;
  /** Where it came from, for logs: a file path or an environment variable name. */
  readonly source: string;
}

export function hotkeyFilePath(loc: WalletLocation): string {
  const base = loc.path ?? DEFAULT_WALLET_PATH;
  const expanded = base === '~' || base.startsWith('~/') ? join(homedir(), base.slice(1)) : base;
  return resolve(expanded, loc.name, 'hotkeys', loc.hotkey);
}

function keyring(): Keyring {
  return new Keyring({ type: 'sr25519', ss58Format: SS58_PREFIX });
}

interface KeyMaterial {
  pair: KeyringPair;
  signer: Signer;
}

function keyFromSeed(seed: Uint8Array): KeyMaterial {
  return {
    pair: keyring().addFromSeed(seed),
    signer: createSr25519Signer(sr25519PairFromSeed(seed), SS58_PREFIX),
  };
}

function keyFromSeedHex(seedHex: string, where: string): KeyMaterial {
  const seed = hexToU8a(seedHex);
  if (seed.length !== 32)
    throw amlError(ERRORS.AML_ERR_WALLET_FORMAT, [where, `secretSeed must be 32 bytes, got ${seed.length}`]);
  return keyFromSeed(seed);
}

function keyFromMnemonic(mnemonic: string, where: string): KeyMaterial {
  const phrase = mnemonic.trim().split(/\s+/).join(' ');
  if (!mnemonicValidate(phrase))
    throw amlError(ERRORS.AML_ERR_WALLET_FORMAT, [where, 'not a valid BIP39 mnemonic']);
  return keyFromSeed(mnemonicToMiniSecret(phrase));
}

/** Loads the hotkey file of a Bittensor wallet and checks it against its ss58Address. */
export async function loadHotkeyFile(loc: WalletLocation): Promise<Hotkey> {
  const file = hotkeyFilePath(loc);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw amlError(ERRORS.AML_ERR_WALLET_NOT_FOUND, [file]);
  }
  const data = parseHotkeyFile(text, file);
  let key: KeyMaterial;
  if (data.secretSeed) key = keyFromSeedHex(data.secretSeed, file);
  else if (data.secretPhrase) key = keyFromMnemonic(data.secretPhrase, file);
  else if (data.privateKey && data.publicKey) {
    const raw = { secretKey: hexToU8a(data.privateKey), publicKey: hexToU8a(data.publicKey) };
    key = { pair: keyring().addFromPair(raw), signer: createSr25519Signer(raw, SS58_PREFIX) };
  } else {
    throw amlError(ERRORS.AML_ERR_WALLET_FORMAT, [
      file,
      'expected secretSeed, secretPhrase or privateKey+publicKey',
    ]);
  }
  if (key.pair.address !== data.ss58Address) {
    throw amlError(ERRORS.AML_ERR_WALLET_ADDRESS_MISMATCH, [file, data.ss58Address, key.pair.address]);
  }
  return { ...key, ss58Address: key.pair.address, source: file };
}

/** A hotkey from AML_HOTKEY_MNEMONIC or AML_HOTKEY_SEED (0x-hex, 32 bytes), if either is set. */
export function loadHotkeyFromEnv(env: NodeJS.ProcessEnv = process.env): Hotkey | undefined {
  const mnemonic = env[ENV_MNEMONIC];
  if (mnemonic) {
    const key = keyFromMnemonic(mnemonic, ENV_MNEMONIC);
    return { ...key, ss58Address: key.pair.address, source: ENV_MNEMONIC };
  }
  const seed = env[ENV_SEED];
  if (seed) {
    const key = keyFromSeedHex(seed.startsWith('0x') ? seed : `0x${seed}`, ENV_SEED);
    return { ...key, ss58Address: key.pair.address, source: ENV_SEED };
  }
  return undefined;
}

/** The environment's key if set, else the wallet file. */
export async function loadHotkey(loc: WalletLocation, env: NodeJS.ProcessEnv = process.env): Promise<Hotkey> {
  return loadHotkeyFromEnv(env) ?? loadHotkeyFile(loc);
}

/** Keyfile contents for a mnemonic, as bittensor-wallet lays them out. */
export function hotkeyFileData(mnemonic: string): HotkeyFileData {
  const seed = mnemonicToMiniSecret(mnemonic);
  const { publicKey, secretKey } = sr25519PairFromSeed(seed);
  return {
    accountId: u8aToHex(publicKey),
    publicKey: u8aToHex(publicKey),
    privateKey: u8aToHex(secretKey),
    secretPhrase: mnemonic,
    secretSeed: u8aToHex(seed),
    ss58Address: encodeAddress(publicKey, SS58_PREFIX),
  };
}

/**
 * Generates a hotkey (12-word mnemonic) and writes it unencrypted with mode 0600, like
 * `btcli wallet new_hotkey --no-use-password`. Refuses to overwrite unless asked.
 */
export async function createHotkeyFile(
  loc: WalletLocation,
  options: { overwrite?: boolean; mnemonic?: string } = {},
): Promise<Hotkey & { mnemonic: string }> {
  const file = hotkeyFilePath(loc);
  if (existsSync(file) && !options.overwrite) throw amlError(ERRORS.AML_ERR_WALLET_EXISTS, [file]);
  const mnemonic = options.mnemonic ?? mnemonicGenerate(12);
  const data = hotkeyFileData(mnemonic);
  await mkdir(join(file, '..'), { recursive: true, mode: 0o700 });
  await writeFile(file, serializeHotkeyFile(data), { mode: 0o600 });
  await chmod(file, 0o600); // writeFile's mode only applies when the file is new
  const hotkey = await loadHotkeyFile(loc);
  return { ...hotkey, mnemonic };
}
