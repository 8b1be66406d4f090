/**
 * Synapse ⇄ JSON body. The body has Python's model_dump field order and carries the TerminalInfos
 * with `nonce` as an exact integer (JSON.stringify cannot write a BigInt, and a float would round
 * it). The input tables are encoded apart so a dendrite can serialise a large batch once and send
 * it to many axons with only the small envelope re-encoded per axon.
 */
import { amlError, ERRORS } from '../errors.js';
import type { AmlScoringSynapse, SynapseEnvelope } from './synapse.js';
import { SynapseEnvelopeSchema } from './synapse.js';
import type { TerminalInfo } from './terminal-info.js';
import { TERMINAL_FIELDS } from './terminal-info.js';

/** TerminalInfo as JSON with every field present (null when unset), as model_dump writes it. */
export function encodeTerminal(info: TerminalInfo): string {
  const parts = TERMINAL_FIELDS.map((key) => {
    const v = info[key];
    const json =
      v === undefined || v === null ? 'null' : typeof v === 'bigint' ? v.toString() : JSON.stringify(v);
    return `"${key}":${json}`;
  });
  return `{${parts.join(',')}}`;
}

type Envelope = Pick<
  AmlScoringSynapse,
  'name' | 'timeout' | 'total_size' | 'header_size' | 'dendrite' | 'axon' | 'computed_body_hash'
>;

/** The envelope fields as a JSON fragment (no braces). */
export function encodeEnvelopeFields(s: Envelope): string {
  return [
    `"name":${JSON.stringify(s.name)}`,
    `"timeout":${JSON.stringify(s.timeout)}`,
    `"total_size":${s.total_size}`,
    `"header_size":${s.header_size}`,
    `"dendrite":${encodeTerminal(s.dendrite)}`,
    `"axon":${encodeTerminal(s.axon)}`,
    `"computed_body_hash":${JSON.stringify(s.computed_body_hash)}`,
  ].join(',');
}

/** The input and output fields as a JSON fragment (no braces). */
export function encodePayloadFields(
  s: Pick<
    AmlScoringSynapse,
    | 'task'
    | 'batch_id'
    | 'alerts'
    | 'features'
    | 'clusters'
    | 'money_flows'
    | 'batch_arrow'
    | 'explain'
    | 'scores'
    | 'miner_id'
    | 'model_version'
    | 'error'
  >,
): string {
  const json = JSON.stringify({
    task: s.task,
    batch_id: s.batch_id,
    alerts: s.alerts,
    features: s.features,
    clusters: s.clusters,
    money_flows: s.money_flows,
    batch_arrow: s.batch_arrow,
    explain: s.explain,
    scores: s.scores,
    miner_id: s.miner_id,
    model_version: s.model_version,
    error: s.error,
  });
  return json.slice(1, -1);
}

/** Joins the two fragments into a body. */
export function joinBody(envelopeFields: string, payloadFields: string): string {
  return `{${envelopeFields},${payloadFields}}`;
}

export function encodeSynapseBody(s: AmlScoringSynapse): string {
  return joinBody(encodeEnvelopeFields(s), encodePayloadFields(s));
}

/** Parses a request body into the envelope (tables unchecked). Throws AML_ERR_PROTOCOL_BODY. */
export function decodeSynapseBody(text: string): SynapseEnvelope {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw amlError(ERRORS.AML_ERR_PROTOCOL_BODY, [`not JSON (${(err as Error).message})`]);
  }
  const parsed = SynapseEnvelopeSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw amlError(ERRORS.AML_ERR_PROTOCOL_BODY, [`${issue.path.join('.') || '(root)'}: ${issue.message}`]);
  }
  return parsed.data;
}
