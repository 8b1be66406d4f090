import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aggregateFlows, findFlow, undirectedGraph } from './flows.js';
import { clusteringCoefficient, coreNumbers, pagerank } from './graph.js';
import { TxStore } from './tx-store.js';
import { DAY_MS } from './world.js';

const START = Date.UTC(2026, 0, 1);
const N = 9;

/** Random small ledgers: (from, to, amount in cents, day, asset) with from != to. */
const ledger = fc.array(
  fc
    .record({
      from: fc.integer({ min: 0, max: N - 1 }),
      to: fc.integer({ min: 0, max: N - 1 }),
      cents: fc.integer({ min: 1, max: 1_000_000 }),
      day: fc.integer({ min: 0, max: 6 }),
      asset: fc.integer({ min: 0, max: 4 }),
    })
    .filter((t) => t.from !== t.to),
  { maxLength: 60 },
);

function storeOf(txs: { from: number; to: number; cents: number; day: number; asset: number }[]): TxStore {
  const s = new TxStore(4);
  for (const t of txs) s.add(t.from, t.to, t.cents / 100, START + t.day * DAY_MS + 1000, t.asset);
  return s;
}

/** Undirected neighbour sets, brute force. */
function neighbourSets(txs: { from: number; to: number }[]): Set<number>[] {
  const nb = Array.from({ length: N }, () => new Set<number>());
  for (const t of txs) {
    nb[t.from].add(t.to);
    nb[t.to].add(t.from);
  }
  return nb;
}

describe('aggregateFlows', () => {
  it('matches a naive per-pair aggregation', () => {
    fc.assert(
      fc.property(ledger, (txs) => {
        const flows = aggregateFlows(storeOf(txs), N, START, 7);
        const naive = new Map<string, { n: number; cents: number; days: Set<number>; assets: Set<number> }>();
        for (const t of txs) {
          const k = `${t.from}>${t.to}`;
          const e = naive.get(k) ?? { n: 0, cents: 0, days: new Set(), assets: new Set() };
          e.n++;
          e.cents += t.cents;
          e.days.add(t.day);
          e.assets.add(t.asset);
          naive.set(k, e);
        }
        expect(flows.length).toBe(naive.size);
        for (let f = 0; f < flows.length; f++) {
          const e = naive.get(`${flows.from[f]}>${flows.to[f]}`);
          expect(e).toBeDefined();
          expect(flows.txCount[f]).toBe(e?.n);
          expect(Math.round(flows.amount[f] * 100)).toBe(e?.cents);
          expect(flows.activeDays[f]).toBe(e?.days.size);
          expect(flows.uniqueAssets[f]).toBe(e?.assets.size);
          expect(findFlow(flows, flows.from[f], flows.to[f])).toBe(f);
          const back = naive.has(`${flows.to[f]}>${flows.from[f]}`);
          expect(flows.reverse[f] >= 0).toBe(back);
        }
        // in-lists name exactly the flows into each address
        for (let a = 0; a < N; a++) {
          for (let k = flows.inOffsets[a]; k < flows.inOffsets[a + 1]; k++)
            expect(flows.to[flows.inFlows[k]]).toBe(a);
        }
      }),
    );
  });
});

describe('graph measures', () => {
  it('core numbers match naive peeling', () => {
    fc.assert(
      fc.property(ledger, (txs) => {
        const g = undirectedGraph(aggregateFlows(storeOf(txs), N, START, 7));
        const nb = neighbourSets(txs);
        const expected = new Array<number>(N).fill(0);
        // core(v) = the largest k such that v survives repeatedly deleting nodes of degree < k
        for (let k = 1; k <= N; k++) {
          const alive = new Set(Array.from({ length: N }, (_, v) => v));
          let changed = true;
          while (changed) {
            changed = false;
            for (const v of [...alive]) {
              const deg = [...nb[v]].filter((u) => alive.has(u)).length;
              if (deg < k) {
                alive.delete(v);
                changed = true;
              }
            }
          }
          for (const v of alive) expected[v] = k;
        }
        expect(Array.from(coreNumbers(g))).toEqual(expected);
      }),
    );
  });

  it('clustering coefficients match a brute-force triangle count', () => {
    fc.assert(
      fc.property(ledger, (txs) => {
        const flows = aggregateFlows(storeOf(txs), N, START, 7);
        const g = undirectedGraph(flows);
        const nb = neighbourSets(txs);
        const mark = new Int32Array(N);
        for (let v = 0; v < N; v++) {
          const ns = [...nb[v]];
          let links = 0;
          for (let i = 0; i < ns.length; i++)
            for (let j = i + 1; j < ns.length; j++) if (nb[ns[i]].has(ns[j])) links++;
          const expected = ns.length < 2 ? 0 : (2 * links) / (ns.length * (ns.length - 1));
          expect(clusteringCoefficient(g, flows, v, mark, v + 1)).toBeCloseTo(expected, 12);
        }
      }),
    );
  });

  it('pagerank matches a dense reference and sums to one', () => {
    fc.assert(
      fc.property(ledger, (txs) => {
        const flows = aggregateFlows(storeOf(txs), N, START, 7);
        const pr = pagerank(flows, 30);
        const w = Array.from({ length: N }, () => new Array<number>(N).fill(0));
        for (const t of txs) w[t.from][t.to] += t.cents / 100;
        let rank = new Array<number>(N).fill(1 / N);
        for (let it = 0; it < 30; it++) {
          const next = new Array<number>(N).fill(0);
          for (let i = 0; i < N; i++) {
            const out = w[i].reduce((s, x) => s + x, 0);
            for (let j = 0; j < N; j++)
              next[j] += out === 0 ? (0.85 * rank[i]) / N : (0.85 * rank[i] * w[i][j]) / out;
          }
          rank = next.map((x) => x + 0.15 / N);
        }
        let sum = 0;
        for (let i = 0; i < N; i++) {
          expect(pr[i]).toBeCloseTo(rank[i], 9);
          sum += pr[i];
        }
        expect(sum).toBeCloseTo(1, 9);
      }),
    );
  });
});
