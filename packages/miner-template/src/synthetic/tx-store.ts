/**
 * The simulated ledger: one column per transaction field in growable typed arrays, so millions of
 * transactions cost a few bytes each and no per-transaction objects exist. Addresses are integer
 * ids into the population (see population.ts); amounts are USD; timestamps unix ms.
 */

export const ASSETS = ['TORUS', 'USDT', 'USDC', 'ETH', 'WBTC'] as const;

export class TxStore {
  from: Int32Array;
  to: Int32Array;
  amount: Float64Array;
  ts: Float64Array;
  asset: Uint8Array;
  length = 0;

  /** Multiplies every amount added while set (regimes with a different everyday amount level). */
  scale = 1;

  constructor(capacity = 1024) {
    this.from = new Int32Array(capacity);
    this.to = new Int32Array(capacity);
    this.amount = new Float64Array(capacity);
    this.ts = new Float64Array(capacity);
    this.asset = new Uint8Array(capacity);
  }

  private grow(): void {
    const cap = this.from.length * 2;
    const f = new Int32Array(cap);
    f.set(this.from);
    this.from = f;
    const t = new Int32Array(cap);
    t.set(this.to);
    this.to = t;
    const a = new Float64Array(cap);
    a.set(this.amount);
    this.amount = a;
    const s = new Float64Array(cap);
    s.set(this.ts);
    this.ts = s;
    const k = new Uint8Array(cap);
    k.set(this.asset);
    this.asset = k;
  }

  add(from: number, to: number, amountUsd: number, ts: number, asset: number): void {
    if (from === to) return; // self-transfers carry no flow
    if (this.length === this.from.length) this.grow();
    const i = this.length++;
    this.from[i] = from;
    this.to[i] = to;
    // cents, as ledgers report
    this.amount[i] = Math.max(0.01, Math.round(amountUsd * this.scale * 100) / 100);
    this.ts[i] = Math.floor(ts);
    this.asset[i] = asset;
  }
}

/**
 * Per-address transaction lists (compressed sparse rows): `offsets[a]..offsets[a+1]` indexes
 * `txs`, which lists every transaction touching address a (in and out), in ledger order.
 */
export interface AddressIndex {
  offsets: Int32Array;
  txs: Int32Array;
}

export function indexByAddress(store: TxStore, addressCount: number): AddressIndex {
  const offsets = new Int32Array(addressCount + 1);
  for (let i = 0; i < store.length; i++) {
    offsets[store.from[i] + 1]++;
    offsets[store.to[i] + 1]++;
  }
  for (let a = 0; a < addressCount; a++) offsets[a + 1] += offsets[a];
  const cursor = offsets.slice(0, addressCount);
  const txs = new Int32Array(store.length * 2);
  for (let i = 0; i < store.length; i++) {
    txs[cursor[store.from[i]]++] = i;
    txs[cursor[store.to[i]]++] = i;
  }
  return { offsets, txs };
}
