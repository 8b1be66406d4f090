/**
 * The synapse body hash (docs/protocol.md): SHA3-256 hex of the concatenated SHA3-256 hex digests of the
 * synapse's required hash fields, each taken as its string form. AmlScoringSynapse hashes
 * `batch_id` and, when present, `batch_arrow` (strings, so Python's str() and ours agree byte for
 * byte). Hashed with node:crypto (OpenSSL): a 10,000-alert batch_arrow is 15 MB, which a
 * JavaScript SHA3 takes seconds over and OpenSSL a few hundred milliseconds.
 */
import { createHash } from 'node:crypto';

/** Lowercase hex SHA3-256 of a UTF-8 string (Bittensor's `get_hash`). */
export function sha3Hex(text: string): string {
  return createHash('sha3-256').update(text, 'utf8').digest('hex');
}

/** SHA3-256 of the empty string: the body hash of a synapse with no hash fields. */
export const EMPTY_BODY_HASH = 'a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a';

/** Body hash from the hash fields' string values, in their declared order. */
export function bodyHashOf(fieldValues: readonly string[]): string {
  return sha3Hex(fieldValues.map(sha3Hex).join(''));
}

/** The fields AmlScoringSynapse hashes, in declaration order (batch_arrow only when present). */
export const REQUIRED_HASH_FIELDS = ['batch_id', 'batch_arrow'] as const;

/** Body hash of an AmlScoringSynapse: the signature covers the batch content when it is compact. */
export function synapseBodyHash(synapse: {
  readonly batch_id: string;
  readonly batch_arrow?: string | null;
}): string {
  const arrow = synapse.batch_arrow;
  return bodyHashOf(arrow === undefined || arrow === null ? [synapse.batch_id] : [synapse.batch_id, arrow]);
}
