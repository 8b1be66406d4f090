/**
 * A small stand-in for the parts of ApiPromise that SubtensorClient touches: storage reads in the
 * shape of `api.query.subtensorModule` (codecs with toJSON/toString), `api.at`, chain headers, and
 * `api.tx.subtensorModule.*` builders that record their arguments and report InBlock (or a module
 * error) to the status callback. For unit tests only; the chopsticks test covers a real runtime.
 */
import type { ApiPromise } from '@polkadot/api';
import type { StorageEntryLike, SubtensorQuery } from '../../src/chain/metagraph-reader.js';

export const codec = (v: unknown) => ({ toJSON: () => v, toString: () => String(v) });
const none = { isSome: false, toJSON: () => null, toString: () => '' };
const some = (v: unknown) => ({ isSome: true, unwrap: () => codec(v), toJSON: () => v, toString: () => '' });

function entry(get: (...a: unknown[]) => unknown, extra: object = {}): StorageEntryLike {
  return Object.assign((async (...a: unknown[]) => get(...a)) as StorageEntryLike, extra);
}

export interface FakeNeuron {
  hotkey: string;
  permit: boolean;
  lastUpdate: number;
  stakeRao: number;
  axon?: {
    ip: number | string;
    port: number;
    ipType: 4 | 6;
    version: number;
    protocol: number;
    block: number;
  };
}

export interface FakeState {
  block: number;
  netuid: number;
  hyper: Record<string, unknown>;
  neurons: FakeNeuron[];
  /** Module error name the next extrinsic fails with (then cleared). */
  failNext?: string;
}

export interface SentCall {
  name: string;
  args: unknown[];
}

export function fakeApi(state: FakeState): { api: ApiPromise; sent: SentCall[] } {
  const sent: SentCall[] = [];
  const hp = (name: string) => entry(() => codec(state.hyper[name]));
  const query: SubtensorQuery = {
    networksAdded: entry((n) => codec(n === state.netuid)),
    tempo: hp('tempo'),
    weightsSetRateLimit: hp('weightsSetRateLimit'),
    minAllowedWeights: hp('minAllowedWeights'),
    maxWeightsLimit: hp('maxWeightsLimit'),
    weightsVersionKey: hp('weightsVersionKey'),
    commitRevealWeightsEnabled: hp('commitRevealWeightsEnabled'),
    revealPeriodEpochs: hp('revealPeriodEpochs'),
    subnetworkN: entry(() => codec(state.neurons.length)),
    keys: entry(() => codec(null), {
      entries: async () =>
        state.neurons.map((n, uid) => [{ args: [codec(state.netuid), codec(uid)] }, codec(n.hotkey)]),
    }),
    validatorPermit: entry(() => codec(state.neurons.map((n) => n.permit))),
    lastUpdate: entry(() => codec(state.neurons.map((n) => n.lastUpdate))),
    axons: entry(() => none, {
      multi: async (args: Array<[number, string]>) =>
        args.map(([, h]) => {
          const axon = state.neurons.find((n) => n.hotkey === h)?.axon;
          return axon ? some(axon) : none;
        }),
    }),
    totalHotkeyAlpha: entry(() => codec(0), {
      multi: async (args: Array<[string, number]>) =>
        args.map(([h]) => codec(state.neurons.find((n) => n.hotkey === h)?.stakeRao ?? 0)),
    }),
    weights: entry(() => codec([])),
  };
  const hash = { toHex: () => '0xfeed' };
  const builder =
    (name: string) =>
    (...args: unknown[]) => {
      let period = 0;
      const signedAt = state.block;
      return {
        // polkadot-js encodes the era from the best header: phase = block mod period (period <= 4096).
        get era() {
          return {
            isMortalEra: period > 0,
            asMortalEra: {
              period: { toNumber: () => period },
              phase: { toNumber: () => signedAt % period },
            },
          };
        },
        hash: { toHex: () => '0x7a' },
        signAsync: async (_signer: unknown, options: { era?: number }) => {
          period = options.era ?? 64;
        },
        send: (cb: (r: unknown) => void) => {
          sent.push({ name, args });
          const failure = state.failNext;
          state.failNext = undefined;
          state.block += 1;
          queueMicrotask(() =>
            cb({
              status: { type: 'InBlock', isInBlock: true, isFinalized: false, asInBlock: hash },
              dispatchError: failure
                ? { isModule: true, asModule: failure, type: 'Module', toString: () => failure }
                : undefined,
              txHash: { toHex: () => '0x7a' },
              blockNumber: { toNumber: () => state.block },
            }),
          );
          return Promise.resolve(() => undefined);
        },
      };
    };
  const api = {
    query: { subtensorModule: query },
    at: async () => ({ query: { subtensorModule: query } }),
    rpc: {
      chain: {
        getHeader: async () => ({ hash, number: { toNumber: () => state.block } }),
      },
    },
    tx: {
      subtensorModule: Object.fromEntries(
        ['setWeights', 'commitWeights', 'revealWeights', 'serveAxon', 'burnedRegister'].map((n) => [
          n,
          builder(n),
        ]),
      ),
    },
    registry: {
      findMetaError: (name: string) => ({ section: 'subtensorModule', name, docs: [`${name} (fake)`] }),
    },
  };
  return { api: api as unknown as ApiPromise, sent };
}
