/**
 * Builds the alert rows (the alerts table of docs/data-contracts.md) for the selected detector hits: ids, severity, the
 * suspected address type, a confidence correlated (imperfectly, less so with difficulty) with
 * the truth, volumes, evidence JSON, risk indicators and a description, all read from the
 * address's features row and flows.
 */

import { hashSeed, type Rng } from '../random.js';
import type { Alert } from '../schemas/alert.js';
import type { Severity } from '../schemas/primitives.js';
import type { FlowTable } from './flows.js';
import { KIND, type Population } from './population.js';
import type { Selection } from './select.js';
import { topCounterparties } from './tables.js';
import { TYPOLOGIES, type Typology } from './typologies.js';
import { DAY_MS } from './world.js';

export interface AlertContext {
  network: string;
  date: string;
  windowDays: number;
  windowStart: number;
  difficulty: number;
  seed: number;
  pop: Population;
  flows: FlowTable;
  columns: Map<string, Float64Array>;
  rowOf: Map<number, number>;
}

const PATTERN_TYPE: Record<Typology, string> = {
  layering: 'multi_hop_pass_through',
  fan_in: 'fan_in_burst',
  fan_out: 'fan_out_dispersal',
  cycle: 'round_trip',
  peel_chain: 'peel_off_chain',
  structuring: 'threshold_avoidance',
  mixer_interaction: 'mixer_exposure',
};
const SUBTYPE: Record<Typology, string> = {
  layering: 'relay',
  fan_in: 'collector',
  fan_out: 'distributor',
  cycle: 'round_trip_node',
  peel_chain: 'peeler',
  structuring: 'depositor',
  mixer_interaction: 'mixer_counterparty',
};

export function alertId(network: string, date: string, n: number): string {
  return `alert_${network}_${date}_${String(n).padStart(6, '0')}`;
}

export function patternId(seed: number, typology: string, address: number): string {
  return `pat_${typology}_${hashSeed(seed + address, typology)
    .toString(16)
    .padStart(8, '0')}`;
}

const usd = (x: number) => Math.round(x * 100) / 100;
const r4 = (x: number) => Math.round(x * 1e4) / 1e4;
/** $1,234,567 (Intl formatting is too slow for 100k alerts). */
const fmt = (x: number) => `$${String(Math.round(x)).replace(/\B(?=(\d{3})+(?!\d))/g, ',')}`;

export interface BuiltAlerts {
  alerts: Alert[];
  /** Detection time of each alert (unix ms): the last activity of its address in the window. */
  detectedAt: Float64Array;
  /** Largest counterparty of each alert's address in the rule's direction (-1 if none). */
  topCounterparty: Int32Array;
}

export function buildAlerts(ctx: AlertContext, sel: Selection, rng: Rng): BuiltAlerts {
  const { pop, flows, columns, rowOf, difficulty } = ctx;
  const col = (name: string, a: number) => (columns.get(name) as Float64Array)[rowOf.get(a) as number];
  const alerts: Alert[] = new Array(sel.length);
  const detectedAt = new Float64Array(sel.length);
  const topCounterparty = new Int32Array(sel.length);
  let n = 0;
  for (let j = 0; j < sel.length; j++) {
    const a = sel.address[j];
    const typology = TYPOLOGIES[sel.rule[j]];
    const score = sel.score[j];
    // upstream ids have gaps where alerts were suppressed or merged
    n += 1 + (rng.bool(0.25) ? rng.int(1, 3) : 0);
    const illicit = pop.role[a] > 0;
    const noise = rng.normal(0, 0.05 + 0.2 * difficulty);
    const confidence = Math.min(
      0.999,
      Math.max(0.01, 0.25 + 0.5 * score + (illicit ? 0.2 * (1 - difficulty) : 0) + noise),
    );
    const inbound = typology === 'fan_in';
    const volume =
      typology === 'fan_in'
        ? col('total_in_usd', a)
        : typology === 'fan_out' || typology === 'structuring'
          ? col('total_out_usd', a)
          : typology === 'mixer_interaction'
            ? col('mixer_volume_usd', a)
            : col('total_volume_usd', a);
    const sevScore = confidence + 0.12 * Math.min(1, Math.max(0, (Math.log10(volume + 1) - 3) / 3));
    const severity: Severity =
      sevScore >= 0.85 ? 'critical' : sevScore >= 0.65 ? 'high' : sevScore >= 0.4 ? 'medium' : 'low';
    const kind = pop.kind[a];
    const suspectedType =
      kind === KIND.exchange
        ? 'exchange'
        : kind === KIND.mixer
          ? 'mixer'
          : col('is_contract_like', a) === 1
            ? 'contract'
            : rng.bool(0.1)
              ? 'unknown'
              : 'wallet';
    const subtype =
      suspectedType === 'exchange'
        ? 'hot_wallet'
        : suspectedType === 'wallet'
          ? SUBTYPE[typology]
          : undefined;
    const top = topCounterparties(flows, a, inbound);
    topCounterparty[j] = top.length > 0 ? top[0] : -1;
    const lastSeen = ctx.windowStart + col('last_seen_offset_days', a) * DAY_MS;
    const firstSeen = ctx.windowStart + col('first_seen_offset_days', a) * DAY_MS;
    detectedAt[j] = Math.round(lastSeen);
    const metrics = {
      degree_in: col('degree_in', a),
      degree_out: col('degree_out', a),
      tx_in_count: col('tx_in_count', a),
      tx_out_count: col('tx_out_count', a),
      total_in_usd: usd(col('total_in_usd', a)),
      total_out_usd: usd(col('total_out_usd', a)),
      burst_factor: r4(col('burst_factor', a)),
      max_txs_per_hour: col('max_txs_per_hour', a),
      pass_through_ratio: r4(col('pass_through_ratio', a)),
      near_threshold_count: col('near_threshold_count', a),
      mixer_volume_usd: usd(col('mixer_volume_usd', a)),
    };
    const evidence = {
      detector: `${typology}_rule_v1`,
      rule_score: r4(score),
      window_days: ctx.windowDays,
      first_seen_ts: Math.round(firstSeen),
      last_seen_ts: Math.round(lastSeen),
      metrics,
      top_counterparties: top.map((id) => pop.address(id)),
    };
    alerts[j] = {
      alert_id: alertId(ctx.network, ctx.date, n),
      address: pop.address(a),
      processing_date: ctx.date,
      window_days: ctx.windowDays,
      typology_type: typology,
      pattern_id: patternId(ctx.seed, typology, a),
      pattern_type: PATTERN_TYPE[typology],
      severity,
      suspected_address_type: suspectedType,
      suspected_address_subtype: subtype,
      alert_confidence_score: r4(confidence),
      description: describe(typology, metrics, volume, ctx.windowDays),
      volume_usd: usd(volume),
      evidence_json: JSON.stringify(evidence),
      risk_indicators: indicators(typology, (name) => col(name, a), ctx.windowDays),
    };
  }
  return { alerts, detectedAt, topCounterparty };
}

function indicators(typology: Typology, f: (name: string) => number, windowDays: number): string[] {
  const out: string[] = [];
  if (f('degree_in') >= 10) out.push('high_fan_in');
  if (f('degree_out') >= 10) out.push('high_fan_out');
  if (f('burst_factor') >= windowDays * 0.5 && f('tx_total_count') >= 5) out.push('burst_activity');
  if (f('small_transaction_ratio') >= 0.5) out.push('small_amounts');
  if (f('near_threshold_count') >= 2) out.push('just_below_threshold');
  if (f('mixer_volume_usd') > 0) out.push('mixer_counterparty');
  if (f('velocity_score') >= 0.5) out.push('rapid_pass_through');
  if (f('is_new_address') === 1) out.push('new_address');
  if (f('reciprocity_ratio') >= 0.3 || typology === 'cycle') out.push('round_trip');
  if (f('night_transaction_ratio') >= 0.4) out.push('night_activity');
  if (typology === 'peel_chain') out.push('peel_pattern');
  if (f('exchange_volume_ratio') >= 0.5) out.push('exchange_counterparty');
  if (f('total_volume_usd') >= 100_000) out.push('high_value');
  if (f('is_dormant_reactivated') === 1) out.push('dormant_reactivated');
  if (typology === 'layering' && !out.includes('rapid_pass_through')) out.push('multi_hop_transfer');
  return out;
}

function describe(typology: Typology, m: Record<string, number>, volume: number, windowDays: number): string {
  const window = `${windowDays} day${windowDays === 1 ? '' : 's'}`;
  switch (typology) {
    case 'fan_in':
      return `Received ${m.tx_in_count} transfers from ${m.degree_in} counterparties totalling ${fmt(volume)} in ${window}, up to ${m.max_txs_per_hour} per hour`;
    case 'fan_out':
      return `Sent ${m.tx_out_count} transfers to ${m.degree_out} counterparties totalling ${fmt(volume)} in ${window}`;
    case 'layering':
      return `Passed ${fmt(m.total_out_usd)} of ${fmt(m.total_in_usd)} received straight through to ${m.degree_out} counterparties`;
    case 'cycle':
      return `Funds returned to the address through a chain of counterparties; ${fmt(volume)} moved in ${window}`;
    case 'peel_chain':
      return `Forwarded most of ${fmt(m.total_in_usd)} onward while peeling small amounts to ${m.degree_out - 1} side addresses`;
    case 'structuring':
      return `${m.near_threshold_count} transfers just below the 10,000 USD reporting threshold, ${fmt(volume)} in total`;
    case 'mixer_interaction':
      return `Exchanged ${fmt(volume)} with a known mixing service in ${window}`;
  }
}
