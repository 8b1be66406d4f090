/**
 * LocalChain's state and the runtime rules applied to it, mirroring subtensor's dispatchables
 * (weights.rs, serving.rs, registration.rs) closely enough that a client which passes here passes
 * on a real node: rate limit, validator permit, version key, uid checks, min allowed weights, max
 * weight limit, commit-reveal windows, serving checks, burned registration. Failures throw
 * AML_ERR_CHAIN_TX_FAILED with the runtime's error name. Plain JSON state; callers apply these
 * functions to a copy and keep it only on success, which gives extrinsic atomicity.
 */
import { commitHash, epochIndex } from './commit-reveal.js';
import { dispatchFailed } from './errors.js';
import { decodeIp, encodeIp } from './ip.js';
import type { AxonEndpoint, Hyperparameters, MetagraphNeuron, MetagraphSnapshot } from './types.js';
import { U16_MAX } from './weights.js';

export interface LocalNeuronState {
  hotkey: string;
  coldkey: string;
  stake: number;
  validatorPermit: boolean;
  active: boolean;
  lastUpdate: number;
  registeredAt: number;
  axon: AxonEndpoint | null;
}

export interface LocalCommit {
  hash: string;
  commitBlock: number;
}

export type LocalHyperparameters = { -readonly [K in keyof Hyperparameters]-?: Hyperparameters[K] };

export interface LocalSubnetState {
  netuid: number;
  hyperparameters: LocalHyperparameters;
  /** Registration burn in TAO. */
  burn: number;
  neurons: LocalNeuronState[];
  /** uid → [dest uid, u16 value][] */
  weights: Record<string, Array<[number, number]>>;
  /** hotkey → unrevealed commits, oldest first */
  commits: Record<string, LocalCommit[]>;
}

/** One included extrinsic, as a block's extrinsic list and its System events would record it. */
export interface LocalExtrinsic {
  hash: string;
  block: number;
  call: string;
  signer: string;
  success: boolean;
  /** The runtime's error name when the dispatch failed. */
  error?: string;
}

/** How many included extrinsics the state keeps (oldest dropped first); far more than an era. */
export const LOCAL_EXTRINSIC_LOG = 1024;

export interface LocalChainState {
  version: 1;
  /** Wall-clock ms of block `blockOffset`; blocks advance every `blockTimeMs` (0 = manual only). */
  genesisMs: number;
  blockTimeMs: number;
  blockOffset: number;
  /** Reject 127.0.0.1 / ::1 axons like the real runtime (off for the localnet demo). */
  strictIp: boolean;
  /** coldkey → free balance in TAO; a coldkey absent here cannot pay a non-zero burn. */
  balances: Record<string, number>;
  subnets: Record<string, LocalSubnetState>;
  /** Included extrinsics, oldest first (absent in files written before it existed). */
  extrinsics?: LocalExtrinsic[];
}

export function recordExtrinsic(state: LocalChainState, extrinsic: LocalExtrinsic): void {
  const log = state.extrinsics ?? [];
  state.extrinsics = log;
  log.push(extrinsic);
  if (log.length > LOCAL_EXTRINSIC_LOG) log.splice(0, log.length - LOCAL_EXTRINSIC_LOG);
}

export function blockAt(state: LocalChainState, nowMs: number): number {
  const elapsed =
    state.blockTimeMs > 0 ? Math.floor(Math.max(0, nowMs - state.genesisMs) / state.blockTimeMs) : 0;
  return state.blockOffset + elapsed;
}

export function subnetOf(state: LocalChainState, netuid: number, call: string): LocalSubnetState {
  const subnet = state.subnets[String(netuid)];
  if (!subnet) throw dispatchFailed(call, 'SubNetworkDoesNotExist', `netuid ${netuid} does not exist`);
  return subnet;
}

function uidOf(
  subnet: LocalSubnetState,
  hotkey: string,
  call: string,
  reason = 'HotKeyNotRegisteredInSubNet',
): number {
  const uid = subnet.neurons.findIndex((n) => n.hotkey === hotkey);
  if (uid < 0)
    throw dispatchFailed(call, reason, `hotkey ${hotkey} is not registered on netuid ${subnet.netuid}`);
  return uid;
}

function epoch(subnet: LocalSubnetState, block: number): number {
  return epochIndex(subnet.netuid, block, subnet.hyperparameters.tempo);
}

/** The runtime's do_set_weights; `viaReveal` skips the rate limit exactly when commit-reveal is on. */
export function applySetWeights(
  subnet: LocalSubnetState,
  block: number,
  hotkey: string,
  uids: readonly number[],
  values: readonly number[],
  versionKey: number,
  call = 'set_weights',
): void {
  const hp = subnet.hyperparameters;
  const n = subnet.neurons.length;
  if (uids.length !== values.length)
    throw dispatchFailed(call, 'WeightVecNotEqualSize', 'uids and values differ in length');
  if (uids.length > n) throw dispatchFailed(call, 'UidsLengthExceedUidsInSubNet', `${uids.length} > ${n}`);
  const uid = uidOf(subnet, hotkey, call);
  if (hp.weightsVersionKey !== 0 && versionKey < hp.weightsVersionKey) {
    throw dispatchFailed(call, 'IncorrectWeightVersionKey', `${versionKey} < ${hp.weightsVersionKey}`);
  }
  const me = subnet.neurons[uid];
  if (!hp.commitRevealEnabled && me.lastUpdate !== 0 && block - me.lastUpdate < hp.weightsSetRateLimit) {
    throw dispatchFailed(
      call,
      'SettingWeightsTooFast',
      `${block - me.lastUpdate} < ${hp.weightsSetRateLimit} blocks`,
    );
  }
  const self = uids.length === 1 && uids[0] === uid;
  if (!self && !me.validatorPermit) throw dispatchFailed(call, 'NeuronNoValidatorPermit', `uid ${uid}`);
  if (new Set(uids).size !== uids.length) throw dispatchFailed(call, 'DuplicateUids', 'duplicate uid');
  if (uids.some((u) => !Number.isInteger(u) || u < 0 || u >= n)) {
    throw dispatchFailed(call, 'UidVecContainInvalidOne', 'unknown uid');
  }
  if (!self && values.length < Math.min(hp.minAllowedWeights, n)) {
    throw dispatchFailed(
      call,
      'WeightVecLengthIsLow',
      `${values.length} < ${Math.min(hp.minAllowedWeights, n)}`,
    );
  }
  const max = values.reduce((m, v) => Math.max(m, v), 0);
  const upscaled = values.map((v) => (max === 0 ? 0 : Math.round((v * U16_MAX) / max)));
  const sum = upscaled.reduce((s, v) => s + v, 0);
  if (!self && hp.maxWeightsLimit !== U16_MAX && sum > 0) {
    if (U16_MAX * U16_MAX > hp.maxWeightsLimit * sum) {
      throw dispatchFailed(call, 'MaxWeightExceeded', `limit ${hp.maxWeightsLimit}`);
    }
  }
  subnet.weights[String(uid)] = uids.map((u, i) => [u, upscaled[i]]);
  if (!hp.commitRevealEnabled) me.lastUpdate = block;
}

export function applyCommit(subnet: LocalSubnetState, block: number, hotkey: string, hash: string): void {
  const call = 'commit_weights';
  const hp = subnet.hyperparameters;
  if (!hp.commitRevealEnabled) throw dispatchFailed(call, 'CommitRevealDisabled', `netuid ${subnet.netuid}`);
  const uid = uidOf(subnet, hotkey, call);
  const me = subnet.neurons[uid];
  if (me.lastUpdate !== 0 && block - me.lastUpdate < hp.weightsSetRateLimit) {
    throw dispatchFailed(
      call,
      'CommittingWeightsTooFast',
      `${block - me.lastUpdate} < ${hp.weightsSetRateLimit} blocks`,
    );
  }
  const now = epoch(subnet, block);
  const live = (subnet.commits[hotkey] ?? []).filter(
    (c) => now <= epoch(subnet, c.commitBlock) + hp.revealPeriodEpochs,
  );
  if (live.length >= 10) throw dispatchFailed(call, 'TooManyUnrevealedCommits', '10 commits pending');
  live.push({ hash, commitBlock: block });
  subnet.commits[hotkey] = live;
  me.lastUpdate = block;
}

export function applyReveal(
  subnet: LocalSubnetState,
  block: number,
  hotkey: string,
  uids: readonly number[],
  values: readonly number[],
  salt: readonly number[],
  versionKey: number,
): void {
  const call = 'reveal_weights';
  const hp = subnet.hyperparameters;
  if (!hp.commitRevealEnabled) throw dispatchFailed(call, 'CommitRevealDisabled', `netuid ${subnet.netuid}`);
  const commits = subnet.commits[hotkey];
  if (!commits || commits.length === 0)
    throw dispatchFailed(call, 'NoWeightsCommitFound', `no commit from ${hotkey}`);
  const now = epoch(subnet, block);
  const expired: string[] = [];
  while (commits.length > 0 && now > epoch(subnet, commits[0].commitBlock) + hp.revealPeriodEpochs) {
    expired.push(commits.shift()!.hash);
  }
  const provided = commitHash(hotkey, subnet.netuid, uids, values, salt, versionKey);
  const position = commits.findIndex((c) => c.hash === provided);
  if (position < 0) {
    if (expired.includes(provided))
      throw dispatchFailed(call, 'ExpiredWeightCommit', 'the reveal window has passed');
    if (commits.length === 0)
      throw dispatchFailed(call, 'NoWeightsCommitFound', 'only expired commits remain');
    throw dispatchFailed(call, 'InvalidRevealCommitHashNotMatch', 'no commit matches these weights and salt');
  }
  const revealEpoch = epoch(subnet, commits[position].commitBlock) + hp.revealPeriodEpochs;
  if (now !== revealEpoch) {
    throw dispatchFailed(call, 'RevealTooEarly', `epoch ${now}, reveal allowed in epoch ${revealEpoch}`);
  }
  commits.splice(0, position + 1);
  if (commits.length === 0) delete subnet.commits[hotkey];
  applySetWeights(subnet, block, hotkey, uids, values, versionKey, call);
}

/** The runtime's serve_axon checks; 127.0.0.1 / ::1 pass unless `strictIp`. */
export function applyServeAxon(
  state: LocalChainState,
  subnet: LocalSubnetState,
  block: number,
  hotkey: string,
  axon: Omit<AxonEndpoint, 'block'>,
): void {
  const call = 'serve_axon';
  const uid = uidOf(subnet, hotkey, call, 'HotKeyNotRegisteredInNetwork');
  if (axon.ipType !== 4 && axon.ipType !== 6)
    throw dispatchFailed(call, 'InvalidIpType', `ip_type ${axon.ipType}`);
  let encoded: bigint;
  try {
    const parsed = encodeIp(axon.ip);
    if (parsed.ipType !== axon.ipType) throw new Error('type mismatch');
    encoded = parsed.ip;
  } catch {
    throw dispatchFailed(call, 'InvalidIpAddress', `${axon.ip} is not an IPv${axon.ipType} address`);
  }
  const loopback = (axon.ipType === 4 && encoded === 0x7f000001n) || (axon.ipType === 6 && encoded === 1n);
  if ((axon.ipType === 4 && encoded >= 0xffffffffn) || (state.strictIp && loopback)) {
    throw dispatchFailed(call, 'InvalidIpAddress', axon.ip);
  }
  const me = subnet.neurons[uid];
  const limit = subnet.hyperparameters.servingRateLimit;
  const last = me.axon?.block ?? 0;
  if (limit !== 0 && last !== 0 && block - last < limit) {
    throw dispatchFailed(call, 'ServingRateLimitExceeded', `${block - last} < ${limit} blocks`);
  }
  if (axon.port === 0) throw dispatchFailed(call, 'InvalidPort', 'port 0');
  me.axon = { ...axon, ip: decodeIp(encoded, axon.ipType), block };
}

export function applyBurnedRegister(
  state: LocalChainState,
  subnet: LocalSubnetState,
  block: number,
  hotkey: string,
  coldkey: string,
): void {
  const call = 'burned_register';
  if (subnet.neurons.some((n) => n.hotkey === hotkey)) {
    throw dispatchFailed(call, 'HotKeyAlreadyRegisteredInSubNet', `${hotkey} on netuid ${subnet.netuid}`);
  }
  const balance = state.balances[coldkey] ?? 0;
  if (balance < subnet.burn) {
    throw dispatchFailed(call, 'NotEnoughBalanceToStake', `balance ${balance} TAO < burn ${subnet.burn} TAO`);
  }
  if (subnet.neurons.length >= subnet.hyperparameters.maxAllowedUids) {
    throw dispatchFailed(call, 'NoNeuronIdAvailable', `subnet full at ${subnet.neurons.length} uids`);
  }
  if (subnet.burn > 0) state.balances[coldkey] = balance - subnet.burn;
  subnet.neurons.push({
    hotkey,
    coldkey,
    stake: 0,
    validatorPermit: false,
    active: true,
    lastUpdate: block,
    registeredAt: block,
    axon: null,
  });
  subnet.hyperparameters.subnetworkN = subnet.neurons.length;
}

export function snapshotOf(subnet: LocalSubnetState, block: number, nowMs: number): MetagraphSnapshot {
  const neurons: MetagraphNeuron[] = subnet.neurons.map((n, uid) => ({
    uid,
    hotkey: n.hotkey,
    coldkey: n.coldkey,
    stake: n.stake,
    validatorPermit: n.validatorPermit,
    active: n.active,
    lastUpdate: n.lastUpdate,
    registeredAt: n.registeredAt,
    axon: n.axon && n.axon.port !== 0 ? { ...n.axon } : null,
  }));
  return {
    netuid: subnet.netuid,
    block,
    neurons,
    hyperparameters: { ...subnet.hyperparameters, subnetworkN: subnet.neurons.length },
    fetchedAt: nowMs,
  };
}
