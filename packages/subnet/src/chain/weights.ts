/**
 * Weight vectors for subtensor: the u16 normalisation Bittensor's SDK applies before
 * `set_weights` (each weight divided by the largest, times 65535, rounded half-to-even like
 * Python's round(), zeros dropped) and the pre-checks that mirror the runtime's `do_set_weights`,
 * so a refusal is explained with the runtime's error name before it costs a fee. Pure functions.
 */
import { amlError, ERRORS } from '../errors.js';
import { refused } from './errors.js';
import type { MetagraphNeuron, MetagraphSnapshot } from './types.js';

export const U16_MAX = 65535;

export interface U16Weights {
  readonly uids: number[];
  readonly values: number[];
}

/** Python's round(): nearest integer, ties to even. */
export function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const diff = x - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

function invalid(why: string, reason?: string): never {
  throw amlError(ERRORS.AML_ERR_CHAIN_WEIGHTS_INVALID, [why], reason ? { reason } : undefined);
}

/**
 * Scales weights so the largest becomes 65535 (round(w / max · 65535)), dropping entries that
 * round to zero. Input order is kept. All-zero input gives empty vectors.
 */
export function normaliseWeights(uids: readonly number[], weights: readonly number[]): U16Weights {
  if (uids.length !== weights.length) {
    invalid(
      `expected one weight per uid, got ${uids.length} uids and ${weights.length} weights`,
      'WeightVecNotEqualSize',
    );
  }
  const seen = new Set<number>();
  let max = 0;
  for (let i = 0; i < uids.length; i++) {
    const uid = uids[i];
    if (!Number.isInteger(uid) || uid < 0 || uid > U16_MAX) invalid(`uid ${uid} is not a u16`);
    if (seen.has(uid)) invalid(`uid ${uid} appears twice`, 'DuplicateUids');
    seen.add(uid);
    const w = weights[i];
    if (!Number.isFinite(w) || w < 0) invalid(`weight for uid ${uid} must be finite and >= 0, got ${w}`);
    if (w > max) max = w;
  }
  const out: U16Weights = { uids: [], values: [] };
  if (max === 0) return out;
  for (let i = 0; i < uids.length; i++) {
    const value = roundHalfEven((weights[i] / max) * U16_MAX);
    if (value === 0) continue;
    out.uids.push(uids[i]);
    out.values.push(value);
  }
  return out;
}

export type WeightsCall = 'set_weights' | 'commit_weights' | 'reveal_weights';

function isSelfWeight(ourUid: number, uids: readonly number[]): boolean {
  return uids.length === 1 && uids[0] === ourUid;
}

/** The neuron for a hotkey, or a refusal named like the runtime's. */
export function requireNeuron(snapshot: MetagraphSnapshot, hotkey: string, call: string): MetagraphNeuron {
  const neuron = snapshot.neurons.find((n) => n.hotkey === hotkey);
  if (!neuron) {
    throw refused(
      call,
      'HotKeyNotRegisteredInSubNet',
      `hotkey ${hotkey} has no uid on netuid ${snapshot.netuid}`,
    );
  }
  return neuron;
}

/**
 * Throws AML_ERR_CHAIN_REFUSED (details.reason = runtime error name) when the runtime would refuse
 * these u16 weights from `hotkey` at `snapshot.block`; returns our uid otherwise. Checks run in the
 * runtime's order so the first failing reason is the one the chain would report.
 */
export function precheckWeights(
  snapshot: MetagraphSnapshot,
  hotkey: string,
  weights: U16Weights,
  versionKey: number,
  call: WeightsCall,
): number {
  const hp = snapshot.hyperparameters;
  const { uids, values } = weights;
  const me = requireNeuron(snapshot, hotkey, call);
  if (call === 'set_weights' && hp.commitRevealEnabled) {
    throw refused(
      call,
      'CommitRevealEnabled',
      `netuid ${snapshot.netuid} uses commit-reveal: use commitWeights`,
    );
  }
  if (call !== 'set_weights' && !hp.commitRevealEnabled) {
    throw refused(
      call,
      'CommitRevealDisabled',
      `netuid ${snapshot.netuid} has commit-reveal off: use setWeights`,
    );
  }
  if (uids.length !== values.length) {
    throw refused(call, 'WeightVecNotEqualSize', `${uids.length} uids but ${values.length} values`);
  }
  const n = snapshot.neurons.length;
  if (uids.length > n) {
    throw refused(call, 'UidsLengthExceedUidsInSubNet', `${uids.length} weights for a subnet of ${n}`);
  }
  if (hp.weightsVersionKey !== 0 && versionKey < hp.weightsVersionKey) {
    throw refused(
      call,
      'IncorrectWeightVersionKey',
      `version key ${versionKey} is below the subnet's ${hp.weightsVersionKey}`,
    );
  }
  if (call !== 'reveal_weights' && me.lastUpdate !== 0) {
    const since = snapshot.block - me.lastUpdate;
    if (since < hp.weightsSetRateLimit) {
      const reason = call === 'set_weights' ? 'SettingWeightsTooFast' : 'CommittingWeightsTooFast';
      throw refused(
        call,
        reason,
        `last update at block ${me.lastUpdate}, now ${snapshot.block}: ${since} < rate limit ${hp.weightsSetRateLimit} blocks`,
        { retryAtBlock: me.lastUpdate + hp.weightsSetRateLimit },
      );
    }
  }
  const self = isSelfWeight(me.uid, uids);
  if (!self && !me.validatorPermit) {
    throw refused(call, 'NeuronNoValidatorPermit', `uid ${me.uid} has no validator permit`);
  }
  if (new Set(uids).size !== uids.length) throw refused(call, 'DuplicateUids', 'a uid appears twice');
  const unknown = uids.find((uid) => uid >= n);
  if (unknown !== undefined) {
    throw refused(call, 'UidVecContainInvalidOne', `uid ${unknown} is not registered (subnet has ${n})`);
  }
  const minAllowed = Math.min(hp.minAllowedWeights, hp.subnetworkN || n);
  if (!self && values.length < minAllowed) {
    throw refused(
      call,
      'WeightVecLengthIsLow',
      `${values.length} non-zero weights, the subnet needs at least ${minAllowed}`,
    );
  }
  if (!self && hp.maxWeightsLimit !== U16_MAX && values.length > 0) {
    let sum = 0;
    let max = 0;
    for (const v of values) {
      sum += v;
      if (v > max) max = v;
    }
    if (max * U16_MAX > hp.maxWeightsLimit * sum) {
      throw refused(
        call,
        'MaxWeightExceeded',
        `largest share ${(max / sum).toFixed(4)} exceeds MaxWeightsLimit ${hp.maxWeightsLimit}/65535`,
      );
    }
  }
  return me.uid;
}
