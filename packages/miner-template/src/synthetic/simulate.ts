/**
 * Runs one window's simulation end to end, up to the detectors: benign economy, planted
 * typologies, flow aggregation, graph measures, the detector-facing feature columns for every
 * address, and the alert candidates. Everything the batch tables need is derived from here.
 */

import { Rng, WeightedSampler } from '../random.js';
import { simulateBenign } from './benign.js';
import { type Candidates, type DetectorData, FALLBACK_THRESHOLD, runDetectors } from './detectors.js';
import { computeFeatures, FEATURE_COUNT, type FeatureContext, makeScratch } from './features.js';
import { neighbourSums } from './features-upstream.js';
import { aggregateFlows, type FlowTable, undirectedGraph } from './flows.js';
import { coreNumbers, pagerank } from './graph.js';
import { Population } from './population.js';
import { COL, DETECTOR_COLUMNS } from './row-layout.js';
import { indexByAddress, TxStore } from './tx-store.js';
import { DEFAULT_TYPOLOGY_MIX, type PlantedInstance, plantTypologies } from './typologies.js';
import { DAY_MS, type World } from './world.js';

export interface SimulationOptions {
  network: string;
  /** Unix ms of the processing date's midnight (UTC). */
  dateMs: number;
  windowDays: number;
  targetAlerts: number;
  seed: number;
  difficulty: number;
  amountScale?: number;
  retailPerAlert?: number;
  typologyMix?: readonly number[];
  /** Illicit share of the alerts the selection will aim for (sizes the planted instances). */
  illicitShare: number;
  /** Salt for address strings (traps use a different one so they never collide with a batch). */
  addressSalt?: string;
}

export interface Simulation {
  world: World;
  instances: PlantedInstance[];
  flows: FlowTable;
  featureCtx: FeatureContext;
  detector: DetectorData;
  candidates: Candidates;
}

/** Average number of alert candidates a planted instance yields (sizes the instance count). */
const CANDIDATES_PER_INSTANCE = 8;

export function simulate(opts: SimulationOptions, onProgress?: (stage: string) => void): Simulation {
  const rng = new Rng(opts.seed, `sim:${opts.network}:${opts.dateMs}:${opts.addressSalt ?? ''}`);
  const windowEnd = opts.dateMs + DAY_MS;
  const estAddresses = Math.max(1024, Math.round(opts.targetAlerts * 3));
  const pop = new Population(opts.network, opts.seed + hashSalt(opts.addressSalt), estAddresses);
  const store = new TxStore(estAddresses * 6);
  const empty = new WeightedSampler([1]);
  const world: World = {
    rng,
    pop,
    store,
    windowStart: windowEnd - opts.windowDays * DAY_MS,
    windowEnd,
    windowDays: opts.windowDays,
    difficulty: opts.difficulty,
    amountScale: opts.amountScale ?? 1,
    typologyMix: opts.typologyMix ?? DEFAULT_TYPOLOGY_MIX,
    retailLo: 0,
    retailHi: 0,
    exchanges: [],
    exchangeSampler: empty,
    merchants: [],
    merchantSampler: empty,
    whales: [],
    contracts: [],
    contractSampler: empty,
    mixers: [],
    bridges: [],
  };
  onProgress?.('simulating benign traffic');
  simulateBenign(world, opts.targetAlerts, opts.retailPerAlert);
  const instanceCount = Math.max(
    7,
    Math.ceil((opts.targetAlerts * opts.illicitShare * 1.5) / CANDIDATES_PER_INSTANCE),
  );
  onProgress?.('planting typologies');
  const instances = plantTypologies(world, instanceCount);

  onProgress?.(`aggregating ${store.length} transactions`);
  const n = pop.length;
  const flows = aggregateFlows(store, n, world.windowStart, opts.windowDays);
  const index = indexByAddress(store, n);
  const graph = undirectedGraph(flows);
  onProgress?.('graph measures');
  const pr = pagerank(flows);
  const kcore = coreNumbers(graph);
  const volume = new Float64Array(n);
  for (let i = 0; i < store.length; i++) {
    volume[store.from[i]] += store.amount[i];
    volume[store.to[i]] += store.amount[i];
  }
  let maxTx = 1;
  for (let a = 0; a < n; a++) maxTx = Math.max(maxTx, index.offsets[a + 1] - index.offsets[a]);
  const featureCtx: FeatureContext = {
    store,
    index,
    flows,
    graph,
    pop,
    pagerank: pr,
    kcore,
    volume,
    neighbourSums: neighbourSums(graph, volume),
    windowStart: world.windowStart,
    windowDays: opts.windowDays,
    scratch: makeScratch(maxTx, opts.windowDays, n),
  };
  onProgress?.(`detector features for ${n} addresses`);
  const detector = {} as DetectorData;
  for (const name of DETECTOR_COLUMNS) detector[name] = new Float64Array(n);
  const row = new Float64Array(FEATURE_COUNT);
  const colIdx = DETECTOR_COLUMNS.map((name) => COL[name]);
  for (let a = 0; a < n; a++) {
    computeFeatures(featureCtx, a, row, false);
    for (let c = 0; c < DETECTOR_COLUMNS.length; c++) detector[DETECTOR_COLUMNS[c]][a] = row[colIdx[c]];
  }
  onProgress?.('running detectors');
  let candidates = runDetectors(detector, flows, pop, opts.windowDays);
  let benignHits = 0;
  for (let i = 0; i < candidates.length; i++) if (pop.role[candidates.address[i]] === 0) benignHits++;
  if (benignHits < opts.targetAlerts * (1 - opts.illicitShare) * 1.2) {
    // a quiet window (low difficulty, few look-alikes): analysts lower the bar to fill the queue
    candidates = runDetectors(detector, flows, pop, opts.windowDays, FALLBACK_THRESHOLD);
  }
  return { world, instances, flows, featureCtx, detector, candidates };
}

function hashSalt(salt: string | undefined): number {
  if (!salt) return 0;
  let h = 7;
  for (let i = 0; i < salt.length; i++) h = (Math.imul(h, 31) + salt.charCodeAt(i)) | 0;
  return h >>> 0;
}
