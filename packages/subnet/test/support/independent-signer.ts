/**
 * An independent implementation of docs/protocol.md's request signing, for interoperability tests: it uses
 * node:crypto's SHA3-256 and @polkadot/util-crypto's raw sr25519Sign, and none of the module under
 * test, so a request it builds verifying at the axon shows the two agree on the rules.
 */
import { createHash } from 'node:crypto';
import { encodeAddress, sr25519PairFromSeed, sr25519Sign } from '@polkadot/util-crypto';

const sha3 = (s: string) => createHash('sha3-256').update(s, 'utf8').digest('hex');

export interface RawKey {
  address: string;
  publicKey: Uint8Array;
  secretKey: Uint8Array;
}

export function rawKeyFromSeed(seed: Uint8Array): RawKey {
  const pair = sr25519PairFromSeed(seed);
  return { ...pair, address: encodeAddress(pair.publicKey, 42) };
}

export interface SignedRequest {
  headers: Record<string, string>;
  body: string;
}

/** Headers and body for a POST /AmlScoringSynapse, signed by `key` for `axonHotkey`. */
export function buildSignedRequest(
  key: RawKey,
  axonHotkey: string,
  fields: {
    batchId: string;
    task: string;
    alerts?: unknown[];
    clusters?: unknown[];
    nonce?: bigint;
    uuid?: string;
    timeout?: number;
    bodyBatchId?: string;
    /** batch_arrow as signed (hashed), and as sent when it differs (a tampered body). */
    batchArrow?: string;
    bodyBatchArrow?: string;
    explain?: boolean;
    /** Write the body as Python's Synapse.model_dump() does (envelope, TerminalInfos, nulls). */
    pythonBody?: boolean;
  },
): SignedRequest {
  const nonce = fields.nonce ?? BigInt(Date.now()) * 1_000_000n;
  const uuid = fields.uuid ?? 'interop-uuid';
  const timeout = fields.timeout ?? 12;
  const bodyHash =
    fields.batchArrow === undefined
      ? sha3(sha3(fields.batchId))
      : sha3(sha3(fields.batchId) + sha3(fields.batchArrow));
  const message = `${nonce}.${key.address}.${axonHotkey}.${uuid}.${bodyHash}`;
  const signature = `0x${Buffer.from(sr25519Sign(new TextEncoder().encode(message), key)).toString('hex')}`;
  const python = fields.pythonBody
    ? {
        total_size: 4321,
        header_size: 1234,
        dendrite: {
          status_code: null,
          status_message: null,
          process_time: null,
          ip: '127.0.0.1',
          port: null,
          version: 9012000,
          nonce: '@NONCE@',
          uuid,
          hotkey: key.address,
          signature,
        },
        axon: {
          status_code: null,
          status_message: null,
          process_time: null,
          ip: '127.0.0.1',
          port: 8091,
          version: null,
          nonce: null,
          uuid: null,
          hotkey: axonHotkey,
          signature: null,
        },
        computed_body_hash: '',
        scores: null,
        miner_id: null,
        model_version: null,
        error: null,
      }
    : {};
  const body = JSON.stringify({
    name: 'AmlScoringSynapse',
    timeout,
    ...python,
    task: fields.task,
    batch_id: fields.bodyBatchId ?? fields.batchId,
    alerts: fields.alerts ?? [],
    features: [],
    clusters: fields.clusters ?? [],
    money_flows: [],
    ...(fields.batchArrow === undefined ? {} : { batch_arrow: fields.bodyBatchArrow ?? fields.batchArrow }),
    ...(fields.explain === undefined ? {} : { explain: fields.explain }),
  }).replace('"@NONCE@"', nonce.toString()); // Python writes the nonce as a bare integer
  return {
    headers: {
      'content-type': 'application/json',
      name: 'AmlScoringSynapse',
      timeout: Number.isInteger(timeout) ? `${timeout}.0` : String(timeout),
      bt_header_axon_hotkey: axonHotkey,
      bt_header_dendrite_version: '9012000',
      bt_header_dendrite_nonce: nonce.toString(),
      bt_header_dendrite_uuid: uuid,
      bt_header_dendrite_hotkey: key.address,
      bt_header_dendrite_signature: signature,
      computed_body_hash: bodyHash,
    },
    body,
  };
}
