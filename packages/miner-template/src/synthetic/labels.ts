/**
 * Ground-truth labels (the address_labels table of docs/data-contracts.md) from the simulation's truth, with label noise:
 * some launderers are missed (labelled medium), some benign addresses are wrongly reported
 * (labelled high). Noise grows with difficulty. confidence_score is the label's sample weight and
 * is low for noisy labels, as an analyst's uncertain call would be.
 */

import type { Rng } from '../random.js';
import type { AddressLabel } from '../schemas/address-label.js';
import type { Severity } from '../schemas/primitives.js';
import { KIND, MIMIC, type Population, ROLE } from './population.js';
import { TYPOLOGIES } from './typologies.js';

const CORE_LABEL: Record<(typeof TYPOLOGIES)[number], string> = {
  layering: 'layering_hop',
  fan_in: 'scam_collector',
  fan_out: 'fund_distributor',
  cycle: 'round_trip_launderer',
  peel_chain: 'peel_chain_hop',
  structuring: 'structuring_smurf',
  mixer_interaction: 'mixer_launderer',
};
const KIND_LABEL = ['retail_user', 'exchange', 'merchant', 'whale', 'contract', 'mixer', 'bridge', 'unknown'];
const MIMIC_LABEL = [
  '',
  'payroll_payer',
  'cash_business',
  'self_custody',
  'privacy_user',
  'donation_hub',
  'arbitrage_bot',
];

export interface LabelOutcome {
  label: AddressLabel;
  /** The label disagrees with the simulation's truth (label noise). */
  noisy: boolean;
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

export function labelAddress(
  pop: Population,
  a: number,
  address: string,
  rng: Rng,
  difficulty: number,
): LabelOutcome {
  const missRate = 0.03 + 0.12 * difficulty;
  const falseRate = 0.004 + 0.016 * difficulty;
  const role = pop.role[a];
  let risk: Severity;
  let label: string;
  let source: string;
  let confidence: number;
  let noisy = false;
  if (role === ROLE.core) {
    label = CORE_LABEL[TYPOLOGIES[pop.typology[a]]];
    risk = rng.bool(0.35) ? 'critical' : 'high';
    source = rng.choice(['law_enforcement', 'chain_analysis', 'exchange_report', 'chain_analysis']);
    confidence = rng.uniform(0.75, 1);
    if (rng.bool(missRate)) {
      risk = 'medium';
      label = 'unconfirmed_suspect';
      confidence = rng.uniform(0.3, 0.6);
      noisy = true;
    }
  } else if (role === ROLE.peripheral) {
    label = 'money_mule';
    risk = rng.bool(0.3) ? 'high' : 'medium';
    source = rng.choice(['chain_analysis', 'exchange_report']);
    confidence = rng.uniform(0.5, 0.85);
  } else {
    const kind = pop.kind[a];
    const mimic = pop.mimic[a];
    label = mimic !== MIMIC.none ? MIMIC_LABEL[mimic] : KIND_LABEL[kind];
    risk = kind === KIND.mixer ? 'high' : mimic !== MIMIC.none && rng.bool(0.3) ? 'medium' : 'low';
    source =
      kind === KIND.exchange || kind === KIND.bridge || kind === KIND.mixer
        ? 'public_tag'
        : rng.choice(['manual_review', 'heuristic']);
    confidence = rng.uniform(0.6, 0.95);
    if (kind !== KIND.mixer && rng.bool(falseRate)) {
      risk = 'high';
      label = 'reported_suspect';
      confidence = rng.uniform(0.3, 0.6);
      noisy = true;
    }
  }
  return {
    label: { address, label, risk_level: risk, confidence_score: round3(confidence), source },
    noisy,
  };
}
