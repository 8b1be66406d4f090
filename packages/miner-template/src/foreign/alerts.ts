/**
 * From rule hits to alert rows: a budgeted selection that hits the requested alert count exactly
 * (positives and false positives drawn per rule so no single rule floods the batch), then the rows
 * themselves in the foreign producer's vocabulary (own severities, sentences, evidence keys, risk
 * indicators) and a confidence score that is only weakly related to the truth, as upstream's is.
 */
import type { Alert } from '../schemas/alert.js';
import type { Severity } from '../schemas/primitives.js';
import type { Candidate } from './detectors.js';
import { patternId, roundTo, roundUsd } from './formats.js';
import type { Ledger } from './ledger.js';
import type { Rng } from './rng.js';
import { DAY_MS, HOUR_MS, type World } from './world.js';

const MAX_ALERTS_PER_ADDRESS = 2;

/** Takes from rule buckets in proportion to size^0.35, so big buckets dominate less. */
function drawFromBuckets(pool: Candidate[], quota: number, used: Map<number, number>, rng: Rng): Candidate[] {
  const buckets = new Map<string, Candidate[]>();
  for (const c of pool) {
    const list = buckets.get(c.rule) ?? [];
    list.push(c);
    buckets.set(c.rule, list);
  }
  const lists = [...buckets.keys()].sort().map((rule) => rng.shuffle(buckets.get(rule)!));
  const taken: Candidate[] = [];
  while (taken.length < quota) {
    const weights = lists.map((l) => l.length ** 0.35);
    if (weights.every((w) => w === 0)) break;
    const c = lists[rng.weighted(weights)].pop()!;
    const count = used.get(c.actor) ?? 0;
    if (count >= MAX_ALERTS_PER_ADDRESS) continue;
    used.set(c.actor, count + 1);
    taken.push(c);
  }
  return taken;
}

/** Exactly `total` hits when the pools allow, about `positiveRate` of them on positive wallets. */
export function selectCandidates(
  candidates: Candidate[],
  isPositive: (actor: number) => boolean,
  total: number,
  positiveRate: number,
  rng: Rng,
): Candidate[] {
  const positives = candidates.filter((c) => isPositive(c.actor));
  const negatives = candidates.filter((c) => !isPositive(c.actor));
  const used = new Map<number, number>();
  const wantPositive = Math.max(total === 1 ? 0 : 1, Math.round(total * positiveRate));
  const picked = drawFromBuckets(positives, Math.min(wantPositive, total), used, rng);
  picked.push(...drawFromBuckets(negatives, total - picked.length, used, rng));
  if (picked.length < total) {
    const taken = new Set(picked);
    const rest = positives.filter((c) => !taken.has(c));
    picked.push(...drawFromBuckets(rest, total - picked.length, used, rng));
  }
  // Upstream exports are ordered by detection time, not grouped by class.
  return picked.sort((a, b) => a.triggerAt - b.triggerAt || a.actor - b.actor || (a.rule < b.rule ? -1 : 1));
}

const DESCRIPTIONS: Record<string, (c: Candidate, usd: string) => string> = {
  'R-STR': (c, usd) =>
    `${c.facts.near_threshold_tx} transfers landed just under the ${c.facts.threshold_usd} USD line (${usd} moved in total).`,
  'R-FIN': (c, usd) =>
    `Funds from ${c.facts.senders} distinct senders converged here; ${usd} handled over ${c.windowHours} h.`,
  'R-FOUT': (c, usd) => `Value was spread to ${c.facts.recipients} recipients within the window (${usd}).`,
  'R-RLY': (c, usd) =>
    `Incoming value left again after a median of ${c.facts.median_hold_min} min, ${c.hops} hop(s) in a row (${usd}).`,
  'R-MIX': (c, usd) =>
    `Direct contact with a mixing pool in ${c.facts.mixer_tx} transfer(s); ${usd} total activity.`,
  'R-CYC': (_c, usd) => `Value returned to its origin through a closed path (${usd} in the loop's window).`,
  'R-DRM': (c, usd) => `Woke after ${c.facts.dormant_days} days without activity and moved ${usd}.`,
  'R-VAL': (_c, usd) => `Single-transfer value far above this wallet's peers; ${usd} in the window.`,
  'R-NEW': (c, usd) =>
    `A wallet first seen this week moved ${usd} within ${c.facts.lifetime_h} h of appearing.`,
};

const SUBTYPES: Record<string, string[]> = {
  'R-STR': ['split_sender', 'split_receiver'],
  'R-FIN': ['aggregator', 'collection_point'],
  'R-FOUT': ['distributor', 'payout_wallet'],
  'R-RLY': ['pass_through', 'hop_wallet'],
  'R-MIX': ['pool_user'],
  'R-CYC': ['loop_node', 'bot_like'],
  'R-DRM': ['sleeper'],
  'R-VAL': ['large_holder'],
  'R-NEW': ['burner'],
};

export interface AlertContext {
  world: World;
  ledger: Ledger;
  seed: number;
  date: string;
  windowDays: number;
  addressOf: (actor: number) => string;
  nextAlertId: () => string;
  /** Pattern key per selected candidate (same key, same pattern_id). */
  patternKey: (index: number) => string;
  isPositive: (actor: number) => boolean;
  rng: Rng;
}

/** 1234567.5 -> "1,234,567.5" (toLocaleString is far too slow for 100k alerts). */
function formatUsd(value: number): string {
  const [whole, fraction] = String(value).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return fraction === undefined ? grouped : `${grouped}.${fraction}`;
}

function severityOf(score: number): Severity {
  if (score >= 0.76) return 'critical';
  if (score >= 0.6) return 'high';
  if (score >= 0.4) return 'medium';
  return 'low';
}

function indicators(ctx: AlertContext, c: Candidate, volume: number): string[] {
  const { world, ledger } = ctx;
  const a = c.actor;
  const out = new Set<string>();
  const byRule: Record<string, string> = {
    'R-STR': 'sub_threshold_splitting',
    'R-FIN': 'many_to_one',
    'R-FOUT': 'one_to_many',
    'R-RLY': 'fast_pass_through',
    'R-MIX': 'privacy_pool_contact',
    'R-CYC': 'closed_loop_value',
    'R-DRM': 'long_dormancy_wake',
    'R-VAL': 'outsized_value',
    'R-NEW': 'short_lived_wallet',
  };
  out.add(byRule[c.rule]);
  if (world.actors.createdAt[a] >= world.start) out.add('fresh_wallet');
  if (c.hops >= 3) out.add('multi_hop');
  if (c.typology === 'peel_chain') out.add('peeling');
  if (volume >= 500_000) out.add('high_value');
  let night = 0;
  let round = 0;
  let exits = 0;
  const n = ledger.txOffsets[a + 1] - ledger.txOffsets[a];
  for (let k = ledger.txOffsets[a]; k < ledger.txOffsets[a + 1]; k++) {
    const t = ledger.txItems[k];
    if (ledger.at[t] % DAY_MS < 6 * HOUR_MS) night++;
    if (ledger.usd[t] >= 100 && ledger.usd[t] % 100 === 0) round++;
    if (ledger.from[t] === a && world.actors.role[ledger.to[t]] === 'exchange') exits++;
  }
  if (n >= 3 && night / n >= 0.4) out.add('night_owl');
  if (n >= 3 && round / n >= 0.5) out.add('round_amounts');
  if (exits > 0 && c.rule !== 'R-FIN') out.add('exchange_exit');
  // Some upstream rules report only their headline indicator, some none at all.
  const list = [...out];
  if (ctx.rng.chance(0.06)) return [];
  return ctx.rng.chance(0.2) ? list.slice(0, 1) : list;
}

export interface BuiltAlert {
  alert: Alert;
  actor: number;
  triggerAt: number;
}

export function buildAlerts(ctx: AlertContext, picked: Candidate[]): BuiltAlert[] {
  const { world, ledger, rng } = ctx;
  const d = world.decimals;
  return picked.map((c, i) => {
    let volume = 0;
    for (let k = ledger.txOffsets[c.actor]; k < ledger.txOffsets[c.actor + 1]; k++)
      volume += ledger.usd[ledger.txItems[k]];
    volume = roundUsd(volume, d);
    const positive = ctx.isPositive(c.actor) ? 1 : 0;
    const logit = -0.2 + 0.5 * (c.strength - 0.5) + 0.3 * positive + 0.85 * rng.normal();
    // Always present: a NaN would not survive a round trip through the wire schema (null is the wire's gap).
    const confidence = roundTo(1 / (1 + Math.exp(-logit)), 3);
    const sizeTerm = Math.min(1, Math.log10(Math.max(10, volume)) / 7);
    const severityScore = 0.5 * confidence + 0.25 * c.strength + 0.25 * sizeTerm + 0.08 * rng.normal();
    const usdText = `${formatUsd(volume)} USD`;
    const fresh = world.actors.createdAt[c.actor] >= world.start;
    const suspectedType = rng.chance(0.1)
      ? 'unknown'
      : c.rule === 'R-CYC' && c.patternType === 'swap_loop'
        ? 'smart_contract_user'
        : fresh
          ? 'fresh_eoa'
          : 'eoa';
    const evidence: Record<string, unknown> = {
      rule_id: `${c.rule}-0${1 + (c.strength > 0.66 ? 2 : c.strength > 0.33 ? 1 : 0)}`,
      hops: c.hops,
      window_h: c.windowHours,
      counterparties: c.counterparties.slice(0, 5).map(ctx.addressOf),
      ...c.facts,
    };
    const alert: Alert = {
      alert_id: ctx.nextAlertId(),
      address: ctx.addressOf(c.actor),
      processing_date: ctx.date,
      window_days: ctx.windowDays,
      typology_type: c.typology,
      pattern_id: rng.chance(0.05) ? undefined : patternId(ctx.seed, ctx.patternKey(i)),
      pattern_type: rng.chance(0.03) ? undefined : c.patternType,
      severity: severityOf(severityScore),
      suspected_address_type: suspectedType,
      suspected_address_subtype: rng.chance(0.45) ? undefined : rng.pick(SUBTYPES[c.rule]),
      alert_confidence_score: confidence,
      description: rng.chance(0.07) ? undefined : DESCRIPTIONS[c.rule](c, usdText),
      volume_usd: volume,
      evidence_json: rng.chance(0.04) ? undefined : JSON.stringify(evidence),
      risk_indicators: indicators(ctx, c, volume),
    };
    return { alert, actor: c.actor, triggerAt: Math.min(world.end, Math.max(world.start, c.triggerAt)) };
  });
}
