/**
 * A second, independent producer of SOT batches (the "foreign producer"). It shares no code, ids,
 * vocabulary, rounding or mechanics with src/synthetic, so tests can check that the validator's
 * traps and the models rely on docs/data-contracts.md rather than on our own generator's habits. One simulated
 * ledger feeds every table; the output is a pure function of the options.
 */
import type { Batch } from '../data/batch.js';
import type { AddressLabel } from '../schemas/address-label.js';
import { NETWORK_PATTERN } from '../schemas/batch.js';
import { type BuiltAlert, buildAlerts, selectCandidates } from './alerts.js';
import { planPopulation, simulateBackground } from './background.js';
import { type Candidate, runDetectors } from './detectors.js';
import { buildFeatureTable } from './features.js';
import { addressMinter, alertIdMinter, clusterIdMinter, type ForeignStyle, resolveStyle } from './formats.js';
import { graphMetrics } from './graph.js';
import { isPositiveRisk, labelActor } from './labels.js';
import { buildLedger, type Ledger } from './ledger.js';
import { addLookalikes } from './lookalikes.js';
import { createRng } from './rng.js';
import { plantSchemes } from './schemes.js';
import { buildClusters, buildMoneyFlows, linkAlerts } from './tables.js';
import { emptyWorld, type World } from './world.js';

export type { ForeignStyle } from './formats.js';

export interface ForeignBatchOptions {
  seed: number;
  /** YYYY-MM-DD processing date; the window ends at the end of this day (UTC). */
  date: string;
  network?: string;
  windowDays?: number;
  /** Target alert count, 1..100_000. */
  alerts: number;
  style?: Partial<ForeignStyle>;
}

export interface ForeignBatch {
  batch: Batch;
  labels: AddressLabel[];
  style: ForeignStyle;
  /** Share of alerts whose address is labelled high or critical. */
  positiveRate: number;
}

const MAX_ATTEMPTS = 4;

function checkOptions(o: ForeignBatchOptions, network: string, windowDays: number): void {
  if (!Number.isInteger(o.alerts) || o.alerts < 1 || o.alerts > 100_000) {
    throw new RangeError(`alerts must be an integer in 1..100000, got ${o.alerts}`);
  }
  const day = Date.parse(`${o.date}T00:00:00Z`);
  if (
    !/^\d{4}-\d{2}-\d{2}$/.test(o.date) ||
    Number.isNaN(day) ||
    !new Date(day).toISOString().startsWith(o.date)
  ) {
    throw new RangeError(`date must be a real YYYY-MM-DD date, got "${o.date}"`);
  }
  if (!Number.isInteger(windowDays) || windowDays < 1 || windowDays > 365) {
    throw new RangeError(`windowDays must be an integer in 1..365, got ${windowDays}`);
  }
  if (!NETWORK_PATTERN.test(network))
    throw new RangeError(`network "${network}" is not a lowercase network name`);
}

interface Simulation {
  world: World;
  ledger: Ledger;
  candidates: Candidate[];
  labelOf: Map<number, AddressLabel>;
  addresses: string[];
}

function simulate(
  o: ForeignBatchOptions,
  style: ForeignStyle,
  network: string,
  windowDays: number,
  rate: number,
  attempt: number,
): Simulation {
  const rng = createRng(o.seed, `world:${attempt}`);
  const scale = 1.5 ** attempt;
  const world = emptyWorld(o.date, windowDays, style.amountDecimals, network, rng.fork('prices'));
  simulateBackground(world, rng.fork('background'), planPopulation(o.alerts, scale));
  plantSchemes(world, rng.fork('schemes'), Math.ceil(1.5 * rate * o.alerts * scale) + 3);
  addLookalikes(world, rng.fork('lookalikes'), Math.ceil((1 - rate) * o.alerts * scale) + 5);
  const ledger = buildLedger(world);
  const candidates = runDetectors(world, ledger);
  const mint = addressMinter(o.seed, style.address);
  const addresses = world.actors.role.map(() => mint());
  const labelRng = rng.fork('labels');
  const labelOf = new Map<number, AddressLabel>();
  for (const actor of [...new Set(candidates.map((c) => c.actor))].sort((a, b) => a - b)) {
    labelOf.set(actor, labelActor(world, actor, addresses[actor], labelRng));
  }
  return { world, ledger, candidates, labelOf, addresses };
}

function poolsSuffice(sim: Simulation, total: number, rate: number): boolean {
  const perActor = new Map<number, number>();
  for (const c of sim.candidates) perActor.set(c.actor, Math.min(2, (perActor.get(c.actor) ?? 0) + 1));
  let positive = 0;
  let all = 0;
  for (const [actor, count] of perActor) {
    all += count;
    if (isPositiveRisk(sim.labelOf.get(actor)!.risk_level)) positive += count;
  }
  return all >= total && positive >= Math.round(total * rate);
}

export function generateForeignBatch(options: ForeignBatchOptions): ForeignBatch {
  const network = options.network ?? 'ethereum';
  const windowDays = options.windowDays ?? 7;
  checkOptions(options, network, windowDays);
  const style = resolveStyle(options.seed, options.style);
  const rng = createRng(options.seed, 'batch');
  const targetRate = rng.between(0.11, 0.2);

  let sim = simulate(options, style, network, windowDays, targetRate, 0);
  for (let attempt = 1; attempt < MAX_ATTEMPTS && !poolsSuffice(sim, options.alerts, targetRate); attempt++) {
    sim = simulate(options, style, network, windowDays, targetRate, attempt);
  }
  const { world, ledger, labelOf, addresses } = sim;
  const isPositive = (actor: number) => isPositiveRisk(labelOf.get(actor)!.risk_level);
  const picked = selectCandidates(sim.candidates, isPositive, options.alerts, targetRate, rng.fork('select'));
  const patternLinks = linkAlerts(
    world,
    ledger,
    picked.map((c) => c.actor),
    (i) => picked[i].rule,
  );
  const addressOf = (actor: number) => addresses[actor];
  const built: BuiltAlert[] = buildAlerts(
    {
      world,
      ledger,
      seed: options.seed,
      date: options.date,
      windowDays,
      addressOf,
      nextAlertId: alertIdMinter(options.seed, style.alertId),
      patternKey: (i) => `${picked[i].rule}:${picked[i].typology}:${picked[patternLinks.root(i)].actor}`,
      isPositive,
      rng: rng.fork('alerts'),
    },
    picked,
  );

  const alerted = new Set(built.map((b) => b.actor));
  const moneyFlows = buildMoneyFlows(world, ledger, alerted, addressOf);
  const rowRng = rng.fork('rows');
  // A few alerted wallets miss the features export (docs/data-contracts.md allows it; their features are NaN).
  const dropped = new Set([...alerted].filter(() => alerted.size >= 50 && rowRng.chance(0.005)));
  const rowActors = new Set<number>();
  for (const a of alerted) if (!dropped.has(a)) rowActors.add(a);
  for (let t = 0; t < ledger.txCount; t++) {
    const from = ledger.from[t];
    const to = ledger.to[t];
    if (alerted.has(from) && !dropped.has(to)) rowActors.add(to);
    if (alerted.has(to) && !dropped.has(from)) rowActors.add(from);
  }
  const rows = [...rowActors].sort((a, b) =>
    addresses[a] < addresses[b] ? -1 : addresses[a] > addresses[b] ? 1 : 0,
  );
  const metrics = graphMetrics(ledger, rng.fork('graph'));
  const features = buildFeatureTable({
    world,
    ledger,
    metrics,
    actors: rows,
    addresses: rows.map(addressOf),
    style,
    rng: rng.fork('features'),
  });
  const clusters = buildClusters(world, ledger, built, addressOf, clusterIdMinter(options.seed));

  const labels: AddressLabel[] = [];
  const labelled = new Set<number>();
  for (const b of built) {
    if (labelled.has(b.actor)) continue;
    labelled.add(b.actor);
    labels.push(labelOf.get(b.actor)!);
  }
  const extraRng = rng.fork('counterparty-labels');
  for (const a of rows) {
    if (!labelled.has(a) && extraRng.chance(0.06)) labels.push(labelActor(world, a, addresses[a], extraRng));
  }
  const alerts = built.map((b) => b.alert);
  const positives = built.filter((b) => isPositive(b.actor)).length;
  return {
    batch: {
      key: { network, processing_date: options.date, window_days: windowDays },
      alerts,
      features,
      clusters,
      money_flows: moneyFlows,
    },
    labels,
    style,
    positiveRate: alerts.length > 0 ? positives / alerts.length : 0,
  };
}
