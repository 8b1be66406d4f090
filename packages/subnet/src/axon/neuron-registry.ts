/**
 * What the axon needs to know about callers from the chain: is the hotkey registered on the subnet,
 * does it hold a validator permit, and how much stake backs it. The chain package implements this
 * interface from the metagraph; `StaticNeuronRegistry` serves tests and runs without a chain.
 */

export interface NeuronInfo {
  registered: boolean;
  validatorPermit: boolean;
  /** Stake in TAO (alpha) units, as a float. */
  stake: number;
}

export interface NeuronRegistry {
  /** The neuron behind a hotkey, or undefined when the hotkey is unknown to the subnet. */
  lookup(hotkey: string): NeuronInfo | undefined;
}

/** What the chain gives the proxy: a metagraph-backed registry, and axon serving once listening. */
export interface MinerChainLink {
  registry: NeuronRegistry;
  /** Serves (and keeps serving) the axon at the advertised address. */
  afterListen?(advertised: { ip: string; port: number }): Promise<void>;
  close?(): Promise<void>;
}

/** A fixed table of neurons (an allow-list with stakes). */
export class StaticNeuronRegistry implements NeuronRegistry {
  private readonly neurons: Map<string, NeuronInfo>;

  constructor(entries: Iterable<readonly [string, NeuronInfo]> = []) {
    this.neurons = new Map(entries);
  }

  /** Every hotkey a registered validator with the given stake. */
  static validators(hotkeys: Iterable<string>, stake = 0): StaticNeuronRegistry {
    return new StaticNeuronRegistry(
      [...hotkeys].map((h) => [h, { registered: true, validatorPermit: true, stake }] as const),
    );
  }

  lookup(hotkey: string): NeuronInfo | undefined {
    return this.neurons.get(hotkey);
  }

  set(hotkey: string, info: NeuronInfo): void {
    this.neurons.set(hotkey, info);
  }
}
