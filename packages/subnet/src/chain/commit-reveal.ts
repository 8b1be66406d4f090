/**
 * Commit-reveal v2 arithmetic, matching subtensor's pallets/subtensor/src/subnets/weights.rs:
 * the commit hash is blake2-256 of the SCALE encoding of the tuple
 * (who: AccountId32, netuid: u16, uids: Vec<u16>, values: Vec<u16>, salt: Vec<u16>, version_key: u64)
 * (`get_commit_hash`; netuid is the mechanism storage index, equal to netuid for the main
 * mechanism), and the reveal window is the epoch `commit_epoch + RevealPeriodEpochs` with
 * epoch(block) = (block + netuid + 1) / (tempo + 1). Newer runtimes count epochs with a stateful
 * `SubnetEpochIndex`; there the block window is an estimate and the runtime's RevealTooEarly /
 * ExpiredWeightCommit remain authoritative. The timelocked (drand) variant is out of scope.
 */
import { randomBytes } from 'node:crypto';
import { u8aToHex } from '@polkadot/util';
import { blake2AsU8a, decodeAddress } from '@polkadot/util-crypto';

/** SCALE compact length prefix (modes 0..2; vectors here never reach 2^30 items). */
function compactLength(n: number): number[] {
  if (n < 1 << 6) return [n << 2];
  if (n < 1 << 14) {
    const v = (n << 2) | 1;
    return [v & 0xff, (v >> 8) & 0xff];
  }
  if (n < 1 << 30) {
    const v = n * 4 + 2;
    return [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
  }
  throw new RangeError(`vector of ${n} items is too long for this encoder`);
}

function pushU16(out: number[], v: number): void {
  out.push(v & 0xff, (v >> 8) & 0xff);
}

function pushU16Vec(out: number[], values: readonly number[]): void {
  out.push(...compactLength(values.length));
  for (const v of values) pushU16(out, v);
}

/** SCALE bytes of (who, netuid, uids, values, salt, version_key). */
export function commitPreimage(
  who: string | Uint8Array,
  netuid: number,
  uids: readonly number[],
  values: readonly number[],
  salt: readonly number[],
  versionKey: number | bigint,
): Uint8Array {
  const account = typeof who === 'string' ? decodeAddress(who) : who;
  if (account.length !== 32)
    throw new RangeError(`expected a 32-byte account id, got ${account.length} bytes`);
  const out: number[] = Array.from(account);
  pushU16(out, netuid);
  pushU16Vec(out, uids);
  pushU16Vec(out, values);
  pushU16Vec(out, salt);
  let key = BigInt(versionKey);
  for (let i = 0; i < 8; i++) {
    out.push(Number(key & 0xffn));
    key >>= 8n;
  }
  return Uint8Array.from(out);
}

/** 0x-prefixed blake2-256 of the commit preimage: the `commit_hash` argument of commit_weights. */
export function commitHash(
  who: string | Uint8Array,
  netuid: number,
  uids: readonly number[],
  values: readonly number[],
  salt: readonly number[],
  versionKey: number | bigint,
): string {
  return u8aToHex(blake2AsU8a(commitPreimage(who, netuid, uids, values, salt, versionKey), 256));
}

/** A random u16 salt (8 entries, like the Bittensor SDK's default). */
export function randomSalt(length = 8): number[] {
  const bytes = randomBytes(length * 2);
  const salt: number[] = [];
  for (let i = 0; i < length; i++) salt.push(bytes[2 * i] | (bytes[2 * i + 1] << 8));
  return salt;
}

/** Block-based epoch index: (block + netuid + 1) div (tempo + 1). */
export function epochIndex(netuid: number, block: number, tempo: number): number {
  return Math.floor((block + netuid + 1) / (tempo + 1));
}

export interface RevealWindow {
  readonly commitEpoch: number;
  readonly revealEpoch: number;
  readonly firstBlock: number;
  readonly lastBlock: number;
}

/** Blocks in which a commit made at `commitBlock` can be revealed. */
export function revealWindow(
  netuid: number,
  commitBlock: number,
  tempo: number,
  revealPeriod: number,
): RevealWindow {
  const commitEpoch = epochIndex(netuid, commitBlock, tempo);
  const revealEpoch = commitEpoch + revealPeriod;
  const firstBlock = Math.max(0, revealEpoch * (tempo + 1) - (netuid + 1));
  return { commitEpoch, revealEpoch, firstBlock, lastBlock: firstBlock + tempo };
}
