/**
 * The adversary simulation: the real validator (runCycle, SQLite store, LocalChain) over days of
 * cycles of batches from the foreign producer (not our generator), with the population of
 * adversary-population.ts answering through an in-process dendrite. It reports, per miner, its
 * mean share of the chain weights the validator set and of the ensemble, and how often it was
 * judged a copy. Shared by the adversary test (small) and the adversary bench (a week).
 */
import type { AddressLabel, Batch, BatchKey } from '@aml/miner-template';
import { type ForeignStyle, generateForeignBatch } from '@aml/miner-template/foreign';
import { auditTrapStealth } from '@aml/miner-template/tiers';
import pino from 'pino';
import { LocalChain } from '../../../src/chain/local-chain.js';
import type { AxonTarget } from '../../../src/dendrite/dendrite.js';
import type { AmlScoringRequest, AmlScoringSynapse } from '../../../src/protocol/synapse.js';
import type { BatchSource } from '../../../src/validator/batch-source.js';
import type { CycleContext, QueryClient } from '../../../src/validator/cycle/context.js';
import { storedCycleBatch } from '../../../src/validator/cycle/request.js';
import { runCycle } from '../../../src/validator/cycle/run-cycle.js';
import { REFERENCE_HOTKEY } from '../../../src/validator/cycle/tier-step.js';
import { SqliteStore } from '../../../src/validator/store/sqlite-store.js';
import { type PopulationMember, type Privileged, requestBatch } from './adversary-population.js';

const NETUID = 42;
const DAY_MS = 86_400_000;

export interface SimOptions {
  days: number;
  cyclesPerDay: number;
  alerts: number;
  tauDays?: number;
  startDate?: string;
  /** Run the validator's stealth audit on the first cycle of each day. */
  stealthAudit?: boolean;
  /** Style seed of the foreign producer (default 1); null: a new style every date. */
  styleSeed?: number | null;
  /** First trap seed (default 1000); the run is deterministic in it. */
  seed?: number;
  onCycle?: (day: number, cycle: number, note: string) => void;
}

export interface MinerOutcome {
  name: string;
  honest: boolean;
  /** Mean share over all cycles. */
  chainShare: number;
  ensembleShare: number;
  /** Mean share over the cycles after the first batch date settled (NaN: none did). */
  chainShareSettled: number;
  ensembleShareSettled: number;
  copyCycles: number;
  finalPerf: number;
  /** Mean AUC of its scores on the traps before the first settlement and after (NaN: no cycle). */
  trapAucBootstrap: number;
  trapAucSettled: number;
}

export interface SimResult {
  miners: MinerOutcome[];
  referencePerf: number;
  /** The reference's mean trap AUC, before the first settlement and after. */
  referenceTrapAuc: { bootstrap: number; settled: number };
  cycles: number;
  /** Cycles before any batch date had settled. */
  bootstrapCycles: number;
  fallbackCycles: number;
  stealthAuc: number[];
  trapsFromBank: number[];
}

/**
 * Batches of the foreign producer, one per date. A real upstream producer keeps its formats from
 * day to day, so by default every date shares the style drawn from `styleSeed`; with
 * `styleSeed: null` each date draws its own (a harder world for the traps).
 */
class ForeignSource implements BatchSource {
  private cache = new Map<string, { batch: Batch; labels: AddressLabel[] }>();
  private readonly style: ForeignStyle | undefined;
  constructor(
    private readonly alerts: number,
    styleSeed: number | null,
  ) {
    this.style =
      styleSeed === null
        ? undefined
        : generateForeignBatch({ seed: styleSeed, date: '2026-01-01', alerts: 1 }).style;
  }
  private get(key: BatchKey) {
    let hit = this.cache.get(key.processing_date);
    if (!hit) {
      const seed = Number(key.processing_date.replaceAll('-', '')) % 100_000;
      hit = generateForeignBatch({
        seed,
        date: key.processing_date,
        network: key.network,
        windowDays: key.window_days,
        alerts: this.alerts,
        style: this.style,
      });
      this.cache.set(key.processing_date, hit);
    }
    return hit;
  }
  async load(key: BatchKey) {
    return { batch: this.get(key).batch, source: 'foreign' };
  }
  async labels(key: BatchKey) {
    return this.get(key).labels;
  }
}

class PopulationDendrite implements QueryClient {
  privileged: Privileged | undefined;
  constructor(
    private readonly population: readonly PopulationMember[],
    private readonly hotkeyName: ReadonlyMap<string, string>,
    private readonly prepare: () => Promise<Privileged>,
  ) {}
  async query(axons: readonly AxonTarget[], request: AmlScoringRequest): Promise<AmlScoringSynapse[]> {
    const privileged = await this.prepare();
    const batch = requestBatch(request);
    const cache = new Map<string, Float64Array>();
    const scoresOf = (name: string): Float64Array => {
      let s = cache.get(name);
      if (!s) {
        s = this.population.find((m) => m.name === name)!.strategy(batch, privileged, scoresOf);
        cache.set(name, s);
      }
      return s;
    };
    return axons.map((axon) => {
      const name = this.hotkeyName.get(axon.hotkey)!;
      const scores = scoresOf(name);
      return {
        dendrite: { status_code: 200, process_time: 0.5 },
        axon: {},
        model_version: `${name}-1`,
        scores: batch.alerts.map((a, i) => ({
          alert_id: a.alert_id,
          score: scores[i],
          model_version: `${name}-1`,
          latency_ms: 2,
        })),
      } as unknown as AmlScoringSynapse;
    });
  }
}

export async function simulate(
  population: readonly PopulationMember[],
  options: SimOptions,
): Promise<SimResult> {
  const start = Date.parse(`${options.startDate ?? '2026-03-01'}T00:30:00Z`);
  let now = start;
  const hotkeys = population.map((m) => `miner-${m.name}`);
  const neurons = [
    { hotkey: 'validator', coldkey: 'cv', stake: 1000, validatorPermit: true },
    ...population.map((m, i) => ({
      hotkey: hotkeys[i],
      coldkey: `c-${m.name}`,
      axon: { ip: '127.0.0.1', port: 9000 + i },
      registeredAt: 100 + i,
    })),
  ];
  const chain = LocalChain.inMemory(
    {
      startBlock: 1000,
      blockTimeMs: 12_000,
      subnets: [{ netuid: NETUID, hyperparameters: { weightsSetRateLimit: 10 }, neurons }],
    },
    { hotkey: 'validator', now: () => now },
  );
  const store = new SqliteStore(':memory:');
  let trapSeed = options.seed ?? 1000;
  let ctx: CycleContext;
  const dendrite = new PopulationDendrite(
    population,
    new Map(hotkeys.map((h, i) => [h, population[i].name])),
    async () => {
      const cycle = (await store.latestCycle())!;
      const request = await storedCycleBatch(ctx, cycle);
      const canonical = new Map((await store.canonical(cycle.batchId)).map((r) => [r.alertId, r.score]));
      const batch = request.request.batch;
      let suspicion: Map<string, number> | undefined;
      return {
        trapTruth: request.request.trapTruth,
        realIdOf: request.request.realIdOf,
        canonical,
        cycle: cycle.cycleId,
        // The validator's own trap detector, out of fold: as much as the tells can give away.
        trapSuspicion: () => {
          if (!suspicion) {
            const { scores } = auditTrapStealth(batch, new Set(request.request.trapTruth.keys()), {
              seed: cycle.cycleId,
              keepScores: true,
            });
            suspicion = new Map(batch.alerts.map((a, i) => [a.alert_id, scores![i]]));
          }
          return suspicion;
        },
      };
    },
  );
  ctx = {
    store,
    chain,
    dendrite,
    batches: new ForeignSource(options.alerts, options.styleSeed === undefined ? 1 : options.styleSeed),
    settings: {
      netuid: NETUID,
      network: 'torus',
      windowDays: 7,
      trapsPerCycle: 50,
      timeoutS: 120,
      concurrency: 16,
      tauDays: options.tauDays ?? 1,
      stealthAudit: false,
    },
    logger: pino({ level: 'silent' }),
    now: () => now,
    // Seeded trap draws, so a run reproduces exactly.
    randomSeed: () => ++trapSeed,
  };

  // Shares are summed per phase: 'bootstrap' is every cycle before any batch date has settled
  // (tier 3 unknown for all, traps the only evidence), 'settled' every cycle after.
  type Phase = 'bootstrap' | 'settled';
  const tally = {
    bootstrap: { cycles: 0, chain: new Map<string, number>(), ensemble: new Map<string, number>() },
    settled: { cycles: 0, chain: new Map<string, number>(), ensemble: new Map<string, number>() },
  };
  const add = (m: Map<string, number>, k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v);
  const copies = new Map<string, number>();
  // Sums and counts of each hotkey's trap AUC per phase: whether traps pay for skill.
  const trapAuc = { bootstrap: new Map<string, number[]>(), settled: new Map<string, number[]>() };
  let fallbackCycles = 0;
  const stealthAuc: number[] = [];
  const trapsFromBank: number[] = [];
  let last: Awaited<ReturnType<typeof runCycle>> | undefined;
  const step = DAY_MS / options.cyclesPerDay;
  for (let day = 0; day < options.days; day++) {
    for (let c = 0; c < options.cyclesPerDay; c++) {
      now = start + day * DAY_MS + c * step;
      ctx.settings.stealthAudit = options.stealthAudit === true && c === 0;
      const report = await runCycle(ctx);
      last = report;
      const phase: Phase = (report.standing?.reference.settledDates ?? 0) > 0 ? 'settled' : 'bootstrap';
      const t = tally[phase];
      t.cycles++;
      const r = await store.cycleReport(report.cycleId);
      const traps = r.traps as { fromBank: number };
      if (c === 0) trapsFromBank.push(traps.fromBank);
      const stealth = r.stealth as { auc?: number } | undefined;
      if (typeof stealth?.auc === 'number') stealthAuc.push(stealth.auc);
      for (const [hk, w] of report.ensembleWeights) add(t.ensemble, hk, w);
      // the store's rows: the report's, and the reference's, which the report leaves out
      for (const tier of await store.tierResults(report.cycleId)) {
        if (tier.copyOf) add(copies, tier.hotkey, 1);
        const auc = (tier.t2Detail as { trapAuc?: number | null } | null)?.trapAuc;
        if (typeof auc === 'number') {
          const seen = trapAuc[phase].get(tier.hotkey) ?? [];
          seen.push(auc);
          trapAuc[phase].set(tier.hotkey, seen);
        }
      }
      const w = report.weights;
      if (w.status === 'included') {
        if (w.mode === 'fallback') fallbackCycles++;
        const snapshot = await chain.metagraph(NETUID);
        w.uids.forEach((uid, i) => {
          add(t.chain, snapshot.neurons[uid].hotkey, w.weights[i]);
        });
      }
      options.onCycle?.(day, c, `${report.cycleId} (${phase}): weights ${w.status}`);
      now += 11 * 12_000; // past the rate limit before the next cycle, whatever the step
    }
  }
  const cycles = tally.bootstrap.cycles + tally.settled.cycles;
  const share = (hk: string, which: 'chain' | 'ensemble', phases: Phase[]) => {
    const n = phases.reduce((s, ph) => s + tally[ph].cycles, 0);
    return n === 0 ? Number.NaN : phases.reduce((s, ph) => s + (tally[ph][which].get(hk) ?? 0), 0) / n;
  };
  const meanTrapAuc = (hk: string, phase: Phase) => {
    const xs = trapAuc[phase].get(hk) ?? [];
    return xs.length === 0 ? Number.NaN : xs.reduce((a, b) => a + b, 0) / xs.length;
  };
  const miners = population.map((m, i) => ({
    name: m.name,
    honest: m.honest,
    chainShare: share(hotkeys[i], 'chain', ['bootstrap', 'settled']),
    ensembleShare: share(hotkeys[i], 'ensemble', ['bootstrap', 'settled']),
    chainShareSettled: share(hotkeys[i], 'chain', ['settled']),
    ensembleShareSettled: share(hotkeys[i], 'ensemble', ['settled']),
    copyCycles: copies.get(hotkeys[i]) ?? 0,
    finalPerf: last?.standing?.miners.get(hotkeys[i])?.perf ?? 0,
    trapAucBootstrap: meanTrapAuc(hotkeys[i], 'bootstrap'),
    trapAucSettled: meanTrapAuc(hotkeys[i], 'settled'),
  }));
  await store.close();
  return {
    miners,
    referencePerf: last?.standing?.reference.perf ?? 0,
    referenceTrapAuc: {
      bootstrap: meanTrapAuc(REFERENCE_HOTKEY, 'bootstrap'),
      settled: meanTrapAuc(REFERENCE_HOTKEY, 'settled'),
    },
    cycles,
    bootstrapCycles: tally.bootstrap.cycles,
    fallbackCycles,
    stealthAuc,
    trapsFromBank,
  };
}

const auc2 = (x: number) => (Number.isNaN(x) ? '-' : x.toFixed(2));
const pct = (x: number) => (Number.isNaN(x) ? '-' : `${(100 * x).toFixed(2)} %`);

export function formatSimTable(result: SimResult): string {
  const lines = [
    '| miner | honest | chain weight | after first settlement | ensemble weight | after first settlement | cycles judged a copy | final perf | trap AUC before / after first settlement |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const m of result.miners)
    lines.push(
      `| ${m.name} | ${m.honest ? 'yes' : 'no'} | ${pct(m.chainShare)} | ${pct(m.chainShareSettled)} | ${pct(m.ensembleShare)} | ${pct(m.ensembleShareSettled)} | ${m.copyCycles} | ${m.finalPerf.toFixed(3)} | ${auc2(m.trapAucBootstrap)} / ${auc2(m.trapAucSettled)} |`,
    );
  const ref = result.referenceTrapAuc;
  lines.push(
    `| reference | - | - | - | - | - | - | ${result.referencePerf.toFixed(3)} | ${auc2(ref.bootstrap)} / ${auc2(ref.settled)} |`,
  );
  return lines.join('\n');
}
