/**
 * How the axon answers (Bittensor's synapse_to_response): every answer carries the synapse headers
 * with the axon's status, message and process time; a success carries the synapse JSON with the
 * miner API's answer spliced in as `scores` (its bytes are never re-serialised); a failure carries
 * `{"message": ...}`, plus `error` when the miner API was at fault.
 */
import type { ServerResponse } from 'node:http';
import { encodeEnvelopeFields } from '../protocol/codec.js';
import { encodeHeaders } from '../protocol/headers.js';
import type { AmlTask } from '../protocol/synapse.js';
import { SYNAPSE_NAME } from '../protocol/synapse.js';
import type { TerminalInfo } from '../protocol/terminal-info.js';

export interface AnswerEnvelope {
  timeout: number;
  dendrite: TerminalInfo;
  axon: TerminalInfo;
  computed_body_hash: string;
}

/** Writes status, synapse headers and body; never throws (a broken socket is the client's loss). */
export function writeAnswer(
  res: ServerResponse,
  status: number,
  env: AnswerEnvelope,
  body: Buffer,
  closeConnection: boolean,
  /** What the axon advertises (request codings, batch codecs) and the body's own coding. */
  extraHeaders: Readonly<Record<string, string>> = {},
): void {
  if (res.headersSent || res.destroyed) return;
  try {
    const headers = encodeHeaders({ name: SYNAPSE_NAME, total_size: body.length, ...env });
    res.statusCode = status;
    for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
    for (const [k, v] of Object.entries(extraHeaders)) res.setHeader(k, v);
    res.setHeader('content-type', 'application/json');
    res.setHeader('content-length', body.length);
    if (closeConnection) res.setHeader('connection', 'close');
    res.end(body);
  } catch {
    res.destroy();
  }
}

export function errorBody(message: string, extra: Record<string, unknown> = {}): Buffer {
  return Buffer.from(JSON.stringify({ message, ...extra }));
}

/** The success body: the synapse with emptied input tables and the API's raw answer as `scores`. */
export function successBody(
  env: AnswerEnvelope,
  task: AmlTask,
  batchId: string,
  apiAnswer: Buffer,
  minerId: string,
  modelVersion: string,
): Buffer {
  const envelope = encodeEnvelopeFields({
    name: SYNAPSE_NAME,
    timeout: env.timeout,
    total_size: apiAnswer.length,
    header_size: 0,
    dendrite: env.dendrite,
    axon: env.axon,
    computed_body_hash: env.computed_body_hash,
  });
  const head = `{${envelope},"task":${JSON.stringify(task)},"batch_id":${JSON.stringify(batchId)},"alerts":[],"features":[],"clusters":[],"money_flows":[],"scores":`;
  const tail = `,"miner_id":${JSON.stringify(minerId)},"model_version":${JSON.stringify(modelVersion)},"error":null}`;
  return Buffer.concat([Buffer.from(head), apiAnswer, Buffer.from(tail)]);
}
