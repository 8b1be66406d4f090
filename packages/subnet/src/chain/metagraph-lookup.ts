/**
 * Adapters from metagraph snapshots to what other parts need: the axon proxy's NeuronRegistry
 * shape (hotkey → registered / permit / stake) for its blacklist, kept fresh by MetagraphSync,
 * which re-reads a subnet on a schedule (and on demand) and never lets a failed refresh throw
 * into the caller: the last good snapshot stays in use and the error is reported.
 */
import type { ChainClient } from './chain-client.js';
import type { MetagraphSnapshot } from './types.js';

export interface CallerStanding {
  readonly registered: boolean;
  readonly validatorPermit: boolean;
  readonly stake: number;
}

/** hotkey → standing for one snapshot; undefined for hotkeys not on the subnet. */
export function metagraphLookup(snapshot: MetagraphSnapshot): (hotkey: string) => CallerStanding | undefined {
  const byHotkey = new Map<string, CallerStanding>();
  for (const n of snapshot.neurons) {
    byHotkey.set(n.hotkey, { registered: true, validatorPermit: n.validatorPermit, stake: n.stake });
  }
  return (hotkey) => byHotkey.get(hotkey);
}

export interface MetagraphSyncOptions {
  readonly intervalMs?: number;
  readonly onSnapshot?: (snapshot: MetagraphSnapshot) => void;
  readonly onError?: (error: unknown) => void;
}

/** Keeps one subnet's snapshot fresh; `lookup` has the NeuronRegistry shape. */
export class MetagraphSync {
  readonly #client: ChainClient;
  readonly #netuid: number;
  readonly #options: MetagraphSyncOptions;
  #snapshot: MetagraphSnapshot | undefined;
  #lookup: (hotkey: string) => CallerStanding | undefined = () => undefined;
  #timer: NodeJS.Timeout | undefined;
  #inFlight: Promise<MetagraphSnapshot> | undefined;

  constructor(client: ChainClient, netuid: number, options: MetagraphSyncOptions = {}) {
    this.#client = client;
    this.#netuid = netuid;
    this.#options = options;
  }

  get snapshot(): MetagraphSnapshot | undefined {
    return this.#snapshot;
  }

  /** Reads now (concurrent callers share one read). Throws if the read fails. */
  refresh(): Promise<MetagraphSnapshot> {
    this.#inFlight ??= this.#client
      .metagraph(this.#netuid, { refresh: true })
      .then((snapshot) => {
        this.#snapshot = snapshot;
        this.#lookup = metagraphLookup(snapshot);
        this.#options.onSnapshot?.(snapshot);
        return snapshot;
      })
      .finally(() => {
        this.#inFlight = undefined;
      });
    return this.#inFlight;
  }

  /** First read (awaited, so start-up fails loudly), then a refresh every `intervalMs` (default 5 min). */
  async start(): Promise<MetagraphSnapshot> {
    const first = await this.refresh();
    this.stop();
    this.#timer = setInterval(() => {
      this.refresh().catch((err: unknown) => this.#options.onError?.(err));
    }, this.#options.intervalMs ?? 300_000);
    this.#timer.unref();
    return first;
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  lookup(hotkey: string): CallerStanding | undefined {
    return this.#lookup(hotkey);
  }
}
