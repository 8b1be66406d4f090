/**
 * Reads a subnet's metagraph and hyperparameters from SubtensorModule storage at one block, adapting
 * to what the connected runtime's metadata offers instead of assuming a version: stake from
 * TotalHotkeyAlpha(hotkey, netuid) when present, else TotalHotkeyStake(hotkey), else the summed
 * Stake(hotkey, coldkey) map; coldkeys from Owner (one batched read); optional hyperparameters
 * (RevealPeriodEpochs, ServingRateLimit, MaxAllowedUids) only when their storage exists.
 * Works on a structural view of `api.at(hash).query.subtensorModule`, so tests can pass a mock.
 */
import { amlError, ERRORS } from '../errors.js';
import { decodeIp } from './ip.js';
import type { AxonEndpoint, Hyperparameters, MetagraphNeuron, MetagraphSnapshot } from './types.js';

/** What the reader needs of a codec. */
export interface CodecLike {
  toJSON(): unknown;
  toString(): string;
  readonly isSome?: boolean;
  readonly isEmpty?: boolean;
  unwrap?(): CodecLike;
}

export interface StorageEntryLike {
  (...args: unknown[]): Promise<CodecLike>;
  entries?(...args: unknown[]): Promise<Array<[{ args: readonly CodecLike[] }, CodecLike]>>;
  multi?(args: unknown[]): Promise<CodecLike[]>;
}

/** `api.query.subtensorModule` (or the same at a block), keyed by lowerCamel storage name. */
export type SubtensorQuery = Record<string, StorageEntryLike | undefined>;

export const RAO_PER_TAO = 1e9;

function num(codec: CodecLike): number {
  return Number(codec.toString());
}

function bool(codec: CodecLike): boolean {
  return codec.toJSON() === true;
}

function list<T>(codec: CodecLike, map: (v: unknown) => T): T[] {
  const json = codec.toJSON();
  return Array.isArray(json) ? json.map(map) : [];
}

function required(query: SubtensorQuery, name: string, purpose: string): StorageEntryLike {
  const entry = query[name];
  if (!entry) {
    const upper = name[0].toUpperCase() + name.slice(1);
    throw amlError(ERRORS.AML_ERR_CHAIN_STORAGE_MISSING, [upper, purpose]);
  }
  return entry;
}

async function optionalNumber(
  query: SubtensorQuery,
  name: string,
  netuid: number,
): Promise<number | undefined> {
  const entry = query[name];
  return entry ? num(await entry(netuid)) : undefined;
}

export async function readHyperparameters(query: SubtensorQuery, netuid: number): Promise<Hyperparameters> {
  const read = async (name: string) => num(await required(query, name, 'hyperparameters')(netuid));
  const [tempo, weightsSetRateLimit, minAllowedWeights, maxWeightsLimit, weightsVersionKey, subnetworkN] =
    await Promise.all([
      read('tempo'),
      read('weightsSetRateLimit'),
      read('minAllowedWeights'),
      read('maxWeightsLimit'),
      read('weightsVersionKey'),
      read('subnetworkN'),
    ]);
  const cr = query.commitRevealWeightsEnabled;
  const [commitRevealEnabled, revealPeriodEpochs, servingRateLimit, maxAllowedUids] = await Promise.all([
    cr ? cr(netuid).then(bool) : Promise.resolve(false),
    optionalNumber(query, 'revealPeriodEpochs', netuid),
    optionalNumber(query, 'servingRateLimit', netuid),
    optionalNumber(query, 'maxAllowedUids', netuid),
  ]);
  return {
    tempo,
    weightsSetRateLimit,
    minAllowedWeights,
    maxWeightsLimit,
    weightsVersionKey,
    commitRevealEnabled,
    subnetworkN,
    ...(revealPeriodEpochs === undefined ? {} : { revealPeriodEpochs }),
    ...(servingRateLimit === undefined ? {} : { servingRateLimit }),
    ...(maxAllowedUids === undefined ? {} : { maxAllowedUids }),
  };
}

function decodeAxon(codec: CodecLike | undefined): AxonEndpoint | null {
  if (!codec || codec.isSome === false || codec.isEmpty) return null;
  const inner = codec.isSome && codec.unwrap ? codec.unwrap() : codec;
  const json = inner.toJSON() as Record<string, unknown> | null;
  if (!json) return null;
  const ipType = Number(json.ipType ?? json.ip_type);
  const port = Number(json.port);
  const ip = BigInt(String(json.ip));
  if ((ipType !== 4 && ipType !== 6) || port === 0) return null;
  return {
    ip: decodeIp(ip, ipType),
    port,
    ipType,
    version: Number(json.version),
    protocol: Number(json.protocol),
    block: Number(json.block),
  };
}

async function readStakes(query: SubtensorQuery, netuid: number, hotkeys: string[]): Promise<number[]> {
  const toTao = (c: CodecLike) => num(c) / RAO_PER_TAO;
  const alpha = query.totalHotkeyAlpha;
  if (alpha?.multi) return (await alpha.multi(hotkeys.map((h) => [h, netuid]))).map(toTao);
  const total = query.totalHotkeyStake;
  if (total?.multi) return (await total.multi(hotkeys)).map(toTao);
  const stake = query.stake;
  if (stake?.entries) {
    const entries = stake.entries;
    return Promise.all(
      hotkeys.map(
        async (h) => (await entries(h)).reduce((sum, [, value]) => sum + num(value), 0) / RAO_PER_TAO,
      ),
    );
  }
  return hotkeys.map(() => 0);
}

export interface ReadMetagraphOptions {
  /** Read coldkeys from Owner (one batched query; default true). */
  readonly coldkeys?: boolean;
}

export async function readMetagraph(
  query: SubtensorQuery,
  netuid: number,
  block: number,
  nowMs: number,
  options: ReadMetagraphOptions = {},
): Promise<MetagraphSnapshot> {
  const added = query.networksAdded;
  if (added && !bool(await added(netuid))) {
    throw amlError(ERRORS.AML_ERR_CHAIN_SUBNET_UNKNOWN, [netuid, `block ${block}`]);
  }
  const keys = required(query, 'keys', 'the metagraph');
  if (!keys.entries)
    throw amlError(ERRORS.AML_ERR_CHAIN_STORAGE_MISSING, ['Keys (entries)', 'the metagraph']);
  const [hyperparameters, keyEntries, permits, active, lastUpdate] = await Promise.all([
    readHyperparameters(query, netuid),
    keys.entries(netuid),
    required(query, 'validatorPermit', 'the metagraph')(netuid),
    query.active ? query.active(netuid) : Promise.resolve(undefined),
    required(query, 'lastUpdate', 'the metagraph')(netuid),
  ]);
  const byUid = new Map<number, string>();
  for (const [key, value] of keyEntries) byUid.set(num(key.args[1]), value.toString());
  const uids = [...byUid.keys()].sort((a, b) => a - b);
  const hotkeys = uids.map((uid) => byUid.get(uid)!);
  const axons = required(query, 'axons', 'the metagraph');
  const owner = query.owner;
  const registration = query.blockAtRegistration;
  const [stakes, axonCodecs, coldkeys, registered] = await Promise.all([
    readStakes(query, netuid, hotkeys),
    axons.multi
      ? axons.multi(hotkeys.map((h) => [netuid, h]))
      : Promise.all(hotkeys.map((h) => axons(netuid, h))),
    options.coldkeys !== false && owner?.multi ? owner.multi(hotkeys) : Promise.resolve(undefined),
    // Who registered first decides who keeps a copy group's credit (docs/validator.md, "Copies").
    registration?.multi ? registration.multi(uids.map((uid) => [netuid, uid])) : Promise.resolve(undefined),
  ]);
  const permitList = list(permits, (v) => v === true);
  const activeList = active ? list(active, (v) => v === true) : [];
  const updates = list(lastUpdate, (v) => Number(v));
  const neurons: MetagraphNeuron[] = uids.map((uid, i) => ({
    uid,
    hotkey: hotkeys[i],
    ...(coldkeys ? { coldkey: coldkeys[i].toString() } : {}),
    stake: stakes[i],
    validatorPermit: permitList[uid] ?? false,
    active: active ? (activeList[uid] ?? false) : true,
    lastUpdate: updates[uid] ?? 0,
    ...(registered ? { registeredAt: num(registered[i]) } : {}),
    axon: decodeAxon(axonCodecs[i]),
  }));
  return { netuid, block, neurons, hyperparameters, fetchedAt: nowMs };
}

/** Whether the runtime counts epochs with SubnetEpochIndex (reveal windows then only estimated). */
export function hasStatefulEpochs(query: SubtensorQuery): boolean {
  return query.subnetEpochIndex !== undefined;
}
