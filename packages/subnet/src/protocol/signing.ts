/**
 * Request signatures (docs/protocol.md): the dendrite signs the UTF-8 message
 * `{nonce}.{dendrite_hotkey}.{axon_hotkey}.{dendrite_uuid}.{body_hash}` with its sr25519 hotkey and
 * sends `0x` + hex. The axon verifies against its *own* hotkey, so a request signed for another
 * axon never verifies. Callers must have awaited `cryptoReady()` once. Verification, the axon's
 * per-request cost, uses the schnorrkel WASM build when it is loaded (several times faster than
 * util-crypto v14's pure-JS sr25519) and falls back to util-crypto otherwise; both check the same
 * `substrate`-context signatures.
 */
import { hexToU8a, isHex, u8aToHex } from '@polkadot/util';
import {
  cryptoWaitReady,
  decodeAddress,
  encodeAddress,
  sr25519Sign,
  sr25519Verify,
} from '@polkadot/util-crypto';
import {
  isReady as wasmIsReady,
  sr25519Sign as wasmSr25519Sign,
  sr25519Verify as wasmSr25519Verify,
} from '@polkadot/wasm-crypto';

/** Resolves once the sr25519 WASM is loaded; cheap after the first call. */
export function cryptoReady(): Promise<boolean> {
  return cryptoWaitReady();
}

export interface SigningFields {
  nonce: bigint;
  dendriteHotkey: string;
  axonHotkey: string;
  dendriteUuid: string;
  bodyHash: string;
}

export function signingMessage(f: SigningFields): string {
  return `${f.nonce}.${f.dendriteHotkey}.${f.axonHotkey}.${f.dendriteUuid}.${f.bodyHash}`;
}

/** Anything that signs bytes with an sr25519 key (a @polkadot/keyring pair fits). */
export interface Signer {
  readonly address: string;
  sign(message: Uint8Array): Uint8Array;
}

/**
 * A signer over a raw sr25519 key pair (64-byte schnorrkel secret, as sr25519PairFromSeed gives),
 * signing with the WASM build when loaded; its signatures verify like a keyring pair's.
 */
export function createSr25519Signer(
  pair: { publicKey: Uint8Array; secretKey: Uint8Array },
  ss58Prefix = 42,
): Signer {
  const address = encodeAddress(pair.publicKey, ss58Prefix);
  return {
    address,
    sign: (message) =>
      wasmIsReady() ? wasmSr25519Sign(pair.publicKey, pair.secretKey, message) : sr25519Sign(message, pair),
  };
}

export function signRequest(signer: Signer, f: Omit<SigningFields, 'dendriteHotkey'>): string {
  const message = signingMessage({ ...f, dendriteHotkey: signer.address });
  return u8aToHex(signer.sign(new TextEncoder().encode(message)));
}

/**
 * True when `signature` (0x-hex, 64 bytes) is `dendriteHotkey`'s sr25519 signature of the message.
 * Never throws: malformed addresses or signatures are simply invalid.
 */
export function verifyRequest(signature: string | undefined, f: SigningFields): boolean {
  if (!signature || !isHex(signature) || signature.length !== 2 + 128) return false;
  try {
    const publicKey = decodeAddress(f.dendriteHotkey);
    const message = new TextEncoder().encode(signingMessage(f));
    const sig = hexToU8a(signature);
    if (publicKey.length !== 32) return false;
    return wasmIsReady()
      ? wasmSr25519Verify(sig, message, publicKey)
      : sr25519Verify(message, sig, publicKey);
  } catch {
    return false;
  }
}
