/**
 * The synapse body hash (SPEC §4): SHA3-256 hex of the concatenated SHA3-256 hex digests of the
 * synapse's required hash fields, each taken as its string form. AmlScoringSynapse hashes only
 * `batch_id` (a string, so Python's str() and ours agree byte for byte).
 */
import { sha3_256 } from '@noble/hashes/sha3.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

/** Lowercase hex SHA3-256 of a UTF-8 string (Bittensor's `get_hash`). */
export function sha3Hex(text: string): string {
  return bytesToHex(sha3_256(utf8ToBytes(text)));
}

/** SHA3-256 of the empty string: the body hash of a synapse with no hash fields. */
export const EMPTY_BODY_HASH = 'a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a';

/** Body hash from the hash fields' string values, in their declared order. */
export function bodyHashOf(fieldValues: readonly string[]): string {
  return sha3Hex(fieldValues.map(sha3Hex).join(''));
}

/** The fields AmlScoringSynapse hashes, in declaration order. */
export const REQUIRED_HASH_FIELDS = ['batch_id'] as const;

/** Body hash of an AmlScoringSynapse. */
export function synapseBodyHash(synapse: { readonly batch_id: string }): string {
  return bodyHashOf([synapse.batch_id]);
}
