/**
 * LocalChain's seed config (JSON): subnets with their hyperparameters and neurons (hotkey,
 * coldkey, stake, permit, axon), coldkey balances and the block clock. Validated with zod and
 * turned into a fresh LocalChainState; defaults follow subtensor's (rate limit 100, reveal period
 * 1 epoch, max weights limit 65535, serving rate limit 50).
 */

import { z } from 'zod';
import { amlError, ERRORS } from '../errors.js';
import { encodeIp } from './ip.js';
import type { LocalChainState, LocalSubnetState } from './local-chain-state.js';

const axonSeed = z.object({
  ip: z.string(),
  port: z.number().int().min(1).max(65535),
  ipType: z.union([z.literal(4), z.literal(6)]).optional(),
  version: z.number().int().min(0).default(0),
  protocol: z.number().int().min(0).max(255).default(4),
});

const neuronSeed = z.object({
  hotkey: z.string().min(1),
  coldkey: z.string().min(1),
  stake: z.number().min(0).default(0),
  validatorPermit: z.boolean().default(false),
  active: z.boolean().default(true),
  lastUpdate: z.number().int().min(0).default(0),
  /** Registration block (default: the chain's start block); earlier registrations keep copy credit. */
  registeredAt: z.number().int().min(0).optional(),
  axon: axonSeed.nullish(),
});

const hyperparametersSeed = z.object({
  tempo: z.number().int().min(0).default(360),
  weightsSetRateLimit: z.number().int().min(0).default(100),
  minAllowedWeights: z.number().int().min(0).default(1),
  maxWeightsLimit: z.number().int().min(0).max(65535).default(65535),
  weightsVersionKey: z.number().int().min(0).default(0),
  commitRevealEnabled: z.boolean().default(false),
  revealPeriodEpochs: z.number().int().min(0).default(1),
  servingRateLimit: z.number().int().min(0).default(50),
  maxAllowedUids: z.number().int().min(1).max(65535).default(256),
});

export const localChainSeedSchema = z.object({
  blockTimeMs: z.number().int().min(0).default(0),
  startBlock: z.number().int().min(0).default(1),
  strictIp: z.boolean().default(false),
  balances: z.record(z.string(), z.number().min(0)).default({}),
  subnets: z
    .array(
      z.object({
        netuid: z.number().int().min(0).max(4095),
        burn: z.number().min(0).default(0),
        hyperparameters: hyperparametersSeed.default(hyperparametersSeed.parse({})),
        neurons: z.array(neuronSeed).default([]),
      }),
    )
    .default([]),
});

export type LocalChainSeed = z.input<typeof localChainSeedSchema>;

/** Builds a fresh state from a seed; the clock starts at `nowMs` on `startBlock`. */
export function createLocalChainState(seed: LocalChainSeed, nowMs: number): LocalChainState {
  const parsed = localChainSeedSchema.safeParse(seed);
  if (!parsed.success) {
    throw amlError(ERRORS.AML_ERR_CHAIN_LOCAL_STATE, ['seed', parsed.error.message], parsed.error.issues);
  }
  const s = parsed.data;
  const subnets: Record<string, LocalSubnetState> = {};
  for (const net of s.subnets) {
    const seen = new Set<string>();
    for (const n of net.neurons) {
      if (seen.has(n.hotkey)) {
        throw amlError(ERRORS.AML_ERR_CHAIN_LOCAL_STATE, [
          'seed',
          `hotkey ${n.hotkey} twice in netuid ${net.netuid}`,
        ]);
      }
      seen.add(n.hotkey);
    }
    subnets[String(net.netuid)] = {
      netuid: net.netuid,
      burn: net.burn,
      hyperparameters: { ...net.hyperparameters, subnetworkN: net.neurons.length },
      neurons: net.neurons.map((n) => ({
        hotkey: n.hotkey,
        coldkey: n.coldkey,
        stake: n.stake,
        validatorPermit: n.validatorPermit,
        active: n.active,
        lastUpdate: n.lastUpdate,
        registeredAt: n.registeredAt ?? s.startBlock,
        axon: n.axon
          ? {
              ip: n.axon.ip,
              port: n.axon.port,
              ipType: n.axon.ipType ?? encodeIp(n.axon.ip).ipType,
              version: n.axon.version,
              protocol: n.axon.protocol,
              block: s.startBlock,
            }
          : null,
      })),
      weights: {},
      commits: {},
    };
  }
  return {
    version: 1,
    genesisMs: nowMs,
    blockTimeMs: s.blockTimeMs,
    blockOffset: s.startBlock,
    strictIp: s.strictIp,
    balances: { ...s.balances },
    subnets,
  };
}
