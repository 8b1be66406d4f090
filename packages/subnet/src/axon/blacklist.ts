/**
 * The axon's blacklist rule, pure: callers must be registered on the subnet, hold a validator
 * permit and have at least the minimum stake; hotkeys on the allow-list always pass (tests, a
 * trusted local validator). Returns the reason to refuse, or undefined to let the caller in.
 */
import type { NeuronRegistry } from './neuron-registry.js';

export interface BlacklistPolicy {
  /** --blacklist.min_stake (TAO). */
  minStake: number;
  /** --blacklist.allowed_hotkeys */
  allowedHotkeys: ReadonlySet<string>;
  /** Refuse callers without a validator permit (default true). */
  requireValidatorPermit: boolean;
}

export function blacklistReason(
  hotkey: string | undefined,
  registry: NeuronRegistry,
  policy: BlacklistPolicy,
): string | undefined {
  if (!hotkey) return 'missing dendrite hotkey';
  if (policy.allowedHotkeys.has(hotkey)) return undefined;
  const neuron = registry.lookup(hotkey);
  if (!neuron?.registered) return `hotkey ${hotkey} is not registered on the subnet`;
  if (policy.requireValidatorPermit && !neuron.validatorPermit)
    return `hotkey ${hotkey} has no validator permit`;
  if (!(neuron.stake >= policy.minStake))
    return `hotkey ${hotkey} stake ${neuron.stake} is below ${policy.minStake}`;
  return undefined;
}

/** Priority of a caller: its stake (allow-listed unknowns get 0). */
export function callerPriority(hotkey: string | undefined, registry: NeuronRegistry): number {
  return (hotkey && registry.lookup(hotkey)?.stake) || 0;
}
