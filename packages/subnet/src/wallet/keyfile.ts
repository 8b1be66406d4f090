/**
 * Bittensor hotkey files: the JSON layout bittensor-wallet writes for an unencrypted hotkey
 * (`accountId`, `publicKey`, `privateKey`, `secretPhrase`, `secretSeed`, `ss58Address`), and the
 * markers of its encrypted formats so we can refuse them by name. Pure: bytes in, data out.
 */
import { amlError, ERRORS } from '../errors.js';

export interface HotkeyFileData {
  accountId: string;
  publicKey: string;
  privateKey: string;
  secretPhrase: string | null;
  secretSeed: string;
  ss58Address: string;
}

/** Encrypted keyfile formats bittensor-wallet may write, by their leading bytes. */
const ENCRYPTION_MARKERS: readonly [string, string][] = [
  ['$NACL', 'NaCl secretbox'],
  ['$ANSIBLE_VAULT', 'Ansible Vault'],
  ['gAAAAA', 'legacy Fernet'],
];

export function encryptionOf(text: string): string | undefined {
  const head = text.trimStart();
  return ENCRYPTION_MARKERS.find(([marker]) => head.startsWith(marker))?.[1];
}

const HEX = /^0x[0-9a-fA-F]*$/;

/** Parses an unencrypted hotkey file; `where` names the file in errors. */
export function parseHotkeyFile(
  text: string,
  where: string,
): Partial<HotkeyFileData> & { ss58Address: string } {
  const encryption = encryptionOf(text);
  if (encryption) throw amlError(ERRORS.AML_ERR_WALLET_ENCRYPTED, [where, encryption]);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw amlError(ERRORS.AML_ERR_WALLET_FORMAT, [where, 'expected JSON with secretPhrase or secretSeed']);
  }
  if (typeof raw !== 'object' || raw === null) {
    throw amlError(ERRORS.AML_ERR_WALLET_FORMAT, [where, 'expected a JSON object']);
  }
  const data = raw as Record<string, unknown>;
  if (typeof data.ss58Address !== 'string' || data.ss58Address === '') {
    throw amlError(ERRORS.AML_ERR_WALLET_FORMAT, [where, 'ss58Address is missing']);
  }
  for (const key of ['secretSeed', 'privateKey', 'publicKey'] as const) {
    const v = data[key];
    if (v !== undefined && v !== null && (typeof v !== 'string' || !HEX.test(v))) {
      throw amlError(ERRORS.AML_ERR_WALLET_FORMAT, [where, `${key} must be 0x-prefixed hex`]);
    }
  }
  const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  return {
    ss58Address: data.ss58Address,
    secretPhrase: str(data.secretPhrase),
    secretSeed: str(data.secretSeed),
    privateKey: str(data.privateKey),
    publicKey: str(data.publicKey),
    accountId: str(data.accountId),
  };
}

/** Serialises a hotkey the way bittensor-wallet does (same keys, same order). */
export function serializeHotkeyFile(data: HotkeyFileData): string {
  return JSON.stringify({
    accountId: data.accountId,
    publicKey: data.publicKey,
    privateKey: data.privateKey,
    secretPhrase: data.secretPhrase,
    secretSeed: data.secretSeed,
    ss58Address: data.ss58Address,
  });
}
