/**
 * Ground truth in the foreign producer's own vocabulary: each role maps to a label and a usual risk
 * level, with deliberate noise (unwitting mules rated medium, a few benign wallets rated high for
 * sanctions exposure) so that no model can read the truth straight off a role-shaped feature.
 */
import type { AddressLabel } from '../schemas/address-label.js';
import type { Severity } from '../schemas/primitives.js';
import type { Rng } from './rng.js';
import type { Role, World } from './world.js';

interface Truth {
  label: string;
  risk: Severity;
  /** Chance the risk is knocked down one level (illicit) or up to high (benign). */
  flip: number;
  flipLabel?: string;
}

const TRUTH: Record<Role, Truth> = {
  retail: { label: 'individual_wallet', risk: 'low', flip: 0.01, flipLabel: 'sanctions_exposure' },
  whale: { label: 'high_net_worth', risk: 'low', flip: 0.03, flipLabel: 'sanctions_exposure' },
  exchange: { label: 'cex_hot_wallet', risk: 'low', flip: 0 },
  dex: { label: 'amm_pool', risk: 'low', flip: 0 },
  mixer: { label: 'mixing_service', risk: 'critical', flip: 0 },
  bridge: { label: 'cross_chain_bridge', risk: 'low', flip: 0 },
  deposit_address: { label: 'cex_deposit', risk: 'low', flip: 0.02, flipLabel: 'nested_exchange' },
  payroll: { label: 'payroll_operator', risk: 'low', flip: 0.02, flipLabel: 'shell_payroll' },
  arb_bot: { label: 'mev_searcher', risk: 'medium', flip: 0.05, flipLabel: 'sandwich_attacker' },
  invoice_payer: { label: 'smb_treasury', risk: 'medium', flip: 0.06, flipLabel: 'sanctions_exposure' },
  privacy_user: { label: 'privacy_user', risk: 'medium', flip: 0.07, flipLabel: 'tainted_funds' },
  dormant_holder: { label: 'long_term_holder', risk: 'low', flip: 0.05, flipLabel: 'compromised_key' },
  otc_desk: { label: 'otc_broker', risk: 'medium', flip: 0.08, flipLabel: 'unlicensed_otc' },
  farm_master: { label: 'airdrop_farmer', risk: 'medium', flip: 0.03, flipLabel: 'sybil_operator' },
  farm_wallet: { label: 'airdrop_farmer', risk: 'low', flip: 0.02, flipLabel: 'sybil_operator' },
  merchant: { label: 'merchant_settlement', risk: 'low', flip: 0.02, flipLabel: 'sanctions_exposure' },
  placer: { label: 'structuring_source', risk: 'critical', flip: 0.05 },
  mule: { label: 'money_mule', risk: 'high', flip: 0.12, flipLabel: 'unwitting_mule' },
  collector: { label: 'mule_aggregator', risk: 'critical', flip: 0.03 },
  theft_origin: { label: 'exploit_proceeds', risk: 'critical', flip: 0.02 },
  relay_hop: { label: 'layering_hop', risk: 'high', flip: 0.08, flipLabel: 'compromised_relay' },
  peel_sink: { label: 'peel_off_wallet', risk: 'high', flip: 0.2, flipLabel: 'peel_recipient' },
  mix_funder: { label: 'mixer_financier', risk: 'critical', flip: 0.03 },
  mix_depositor: { label: 'mixer_depositor', risk: 'high', flip: 0.1, flipLabel: 'privacy_user' },
  mix_recipient: { label: 'mixer_withdrawal', risk: 'high', flip: 0.15, flipLabel: 'privacy_user' },
  loop_member: { label: 'wash_loop', risk: 'high', flip: 0.1, flipLabel: 'market_maker' },
  scam_collector: { label: 'scam_receiver', risk: 'critical', flip: 0.02 },
  consolidator: { label: 'scam_consolidator', risk: 'high', flip: 0.06 },
  disperser: { label: 'theft_disperser', risk: 'critical', flip: 0.02 },
  drop_wallet: { label: 'cashout_drop', risk: 'high', flip: 0.1, flipLabel: 'unwitting_mule' },
};

const DOWN: Record<Severity, Severity> = { critical: 'high', high: 'medium', medium: 'low', low: 'low' };

/** Label of one actor; draws from `rng`, so call in a fixed actor order. */
export function labelActor(world: World, actor: number, address: string, rng: Rng): AddressLabel {
  const truth = TRUTH[world.actors.role[actor]];
  let risk = truth.risk;
  let label = truth.label;
  if (rng.chance(truth.flip)) {
    const illicit = risk === 'high' || risk === 'critical';
    risk = illicit ? DOWN[risk] : 'high';
    label = truth.flipLabel ?? label;
    if (illicit && risk === 'high') risk = 'medium';
  }
  // Investigators are surer about services and cases they closed than about wallets in between.
  const sure = risk === 'critical' || truth.flip === 0 ? 0.85 : 0.6;
  const confidence = Math.round(Math.min(0.99, sure + rng.next() * (0.99 - sure)) * 100) / 100;
  return { address, label, risk_level: risk, confidence_score: confidence, source: 'foreign-sim' };
}

export function isPositiveRisk(risk: Severity): boolean {
  return risk === 'high' || risk === 'critical';
}
