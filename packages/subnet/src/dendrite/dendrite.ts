/**
 * The dendrite: signs an AmlScoringSynapse for each target axon and sends it to many axons at once,
 * as Bittensor's Dendrite does, with a per-axon deadline, a concurrency limit and a response size
 * cap, so a slow or hostile miner (huge body, endless stream, garbage) costs at most its timeout.
 * Failures become status codes on the returned synapse (docs/protocol.md): 503 connect, 408 timeout, 413
 * oversized, 422 unparseable; a miner's own error status is passed through.
 */
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import { Agent } from 'undici';
import { ERRORS, hasErrorCode } from '../errors.js';
import { encodeEnvelopeFields } from '../protocol/codec.js';
import {
  contentCodingOf,
  DECODABLE_CODINGS,
  decodeBody,
  gzipMember,
  isDecodable,
} from '../protocol/content-coding.js';
import { decodeHeaders, encodeHeaders } from '../protocol/headers.js';
import { NonceClock } from '../protocol/nonce.js';
import { readCapped } from '../protocol/read-capped.js';
import type { Signer } from '../protocol/signing.js';
import { signRequest } from '../protocol/signing.js';
import type { AmlScoringRequest, AmlScoringSynapse } from '../protocol/synapse.js';
import { createSynapse, DEFAULT_TIMEOUT_S, parseSynapseResponse, SYNAPSE_NAME } from '../protocol/synapse.js';
import { WIRE_VERSION } from '../protocol/version.js';
import { AxonCodecMemory, PLAIN } from './axon-codecs.js';
import { type PreparedBody, SharedPayloads } from './shared-payloads.js';

export interface AxonTarget {
  ip: string;
  port: number;
  hotkey: string;
}

export interface QueryOptions {
  /** Per-axon deadline in seconds (default: the synapse's timeout). */
  timeoutS?: number;
  /** Axons queried at once (default 16). */
  concurrency?: number;
  /** Largest response body accepted from one axon (default 64 MiB). */
  maxResponseBytes?: number;
  /**
   * Called with each answer as it arrives (index into `axons`); the query waits for it, so a
   * caller can persist answers one by one and lose none it was told about. The answer's scores
   * are handed over: the list the query returns then keeps each synapse without them (scores
   * null), so a caller storing answers as they come never holds every miner's scores at once
   * (256 answers of 50,000 entries are gigabytes as objects).
   */
  onAnswer?: (index: number, answer: AmlScoringSynapse) => Promise<void> | void;
}

export interface DendriteOptions {
  /** The validator's hotkey (a @polkadot/keyring pair fits). */
  signer: Signer;
  /** Our IP as axons see it, sent in the dendrite TerminalInfo. */
  externalIp?: string;
  /** Connections kept per axon origin. */
  connectionsPerAxon?: number;
  /**
   * What axons advertised about compression (default: a fresh memory). The validator passes one
   * seeded from its store, whose listener keeps it there (docs/validator.md).
   */
  codecs?: AxonCodecMemory;
}

const CONNECT_ERRORS = new Set([
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'UND_ERR_CONNECT_TIMEOUT',
]);
const DISCONNECT_ERRORS = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);

export class Dendrite {
  /** Fixed for this instance: axons key their nonce memory on `{hotkey}:{uuid}`. */
  readonly uuid = randomUUID();
  private readonly clock = new NonceClock();
  private readonly agent: Dispatcher;
  /** What each axon's last answer said about compression (docs/protocol.md, negotiated compression). */
  private readonly codecs: AxonCodecMemory;

  constructor(private readonly options: DendriteOptions) {
    this.codecs = options.codecs ?? new AxonCodecMemory();
    this.agent = new Agent({
      connections: options.connectionsPerAxon ?? 2,
      keepAliveTimeout: 10_000,
      headersTimeout: 0,
      bodyTimeout: 0,
    });
  }

  get hotkey(): string {
    return this.options.signer.address;
  }

  /** Sends the synapse to every axon; answers come back in the order of `axons`. */
  async query(
    axons: readonly AxonTarget[],
    request: AmlScoringRequest | AmlScoringSynapse,
    options: QueryOptions = {},
  ): Promise<AmlScoringSynapse[]> {
    const base = 'name' in request ? request : createSynapse(request);
    const timeoutS = options.timeoutS ?? base.timeout ?? DEFAULT_TIMEOUT_S;
    // The batch is serialised and UTF-8 encoded once per variant; only the small envelope is
    // encoded per axon.
    const payloads = new SharedPayloads(base);
    const results: AmlScoringSynapse[] = new Array(axons.length);
    let next = 0;
    const worker = async () => {
      while (next < axons.length) {
        const i = next++;
        results[i] = await this.callNegotiated(
          axons[i],
          base,
          payloads,
          timeoutS,
          options.maxResponseBytes ?? 64 * 1024 * 1024,
        );
        if (options.onAnswer) {
          await options.onAnswer(i, results[i]);
          results[i] = { ...results[i], scores: null };
        }
      }
    };
    const width = Math.max(1, Math.min(options.concurrency ?? 16, axons.length));
    await Promise.all(Array.from({ length: width }, worker));
    return results;
  }

  /** Sends the synapse to one axon. */
  async call(
    axon: AxonTarget,
    request: AmlScoringRequest | AmlScoringSynapse,
    options: QueryOptions = {},
  ): Promise<AmlScoringSynapse> {
    const [answer] = await this.query([axon], request, { ...options, concurrency: 1 });
    return answer;
  }

  async close(): Promise<void> {
    await this.agent.close();
  }

  /**
   * One axon's call in the codecs it advertised last time; if it now refuses the coding (415, as
   * RFC 7694 has it), once more plain, within what is left of the deadline.
   */
  private async callNegotiated(
    target: AxonTarget,
    base: AmlScoringSynapse,
    payloads: SharedPayloads,
    timeoutS: number,
    maxResponseBytes: number,
  ): Promise<AmlScoringSynapse> {
    const address = `${target.ip}:${target.port}`;
    const codecs = this.codecs.get(target.hotkey, address);
    const learn = (headers: Record<string, string | string[] | undefined>) =>
      this.codecs.learn(target.hotkey, address, headers);
    const first = await this.callWithPayload(
      target,
      base,
      await payloads.forAxon(codecs),
      timeoutS,
      maxResponseBytes,
      learn,
    );
    if (first.axon.status_code !== 415 || codecs === PLAIN) return first;
    await this.codecs.forget(target.hotkey);
    const left = timeoutS - (first.dendrite.process_time ?? 0);
    if (left <= 0) return first;
    return this.callWithPayload(target, base, await payloads.forAxon(PLAIN), left, maxResponseBytes, learn);
  }

  private async callWithPayload(
    target: AxonTarget,
    base: AmlScoringSynapse,
    body: PreparedBody,
    timeoutS: number,
    maxResponseBytes: number,
    learn: (headers: Record<string, string | string[] | undefined>) => Promise<void>,
  ): Promise<AmlScoringSynapse> {
    const { payload, bodyHash } = body;
    const start = process.hrtime.bigint();
    const nonce = this.clock.next();
    const synapse: AmlScoringSynapse = {
      ...base,
      name: SYNAPSE_NAME,
      timeout: timeoutS,
      computed_body_hash: bodyHash,
      dendrite: {
        ip: this.options.externalIp,
        version: WIRE_VERSION,
        nonce,
        uuid: this.uuid,
        hotkey: this.hotkey,
      },
      axon: { ip: target.ip, port: target.port, hotkey: target.hotkey },
      scores: null,
      miner_id: null,
      model_version: null,
      error: null,
    };
    synapse.dendrite.signature = signRequest(this.options.signer, {
      nonce,
      axonHotkey: target.hotkey,
      dendriteUuid: this.uuid,
      bodyHash,
    });
    const envelope = Buffer.from(`{${encodeEnvelopeFields({ ...synapse, total_size: payload.length })}`);
    const bodyLength = envelope.length + payload.length;
    const headers: Record<string, string> = {
      ...encodeHeaders({ ...synapse, total_size: bodyLength }),
      'content-type': 'application/json',
      'accept-encoding': DECODABLE_CODINGS.join(', '),
    };
    // Envelope then the shared payload, streamed as two chunks: concatenating them would copy
    // the whole batch (~90 MB at 10,000 alerts) once per axon in flight. Compressed, they are two
    // gzip members, which decode as one body.
    const chunks = body.gzipped ? [await gzipMember(envelope), body.gzipped] : [envelope, payload];
    if (body.gzipped) headers['content-encoding'] = 'gzip';
    headers['content-length'] = String(chunks[0].length + chunks[1].length);
    const timeoutMs = Math.max(1, Math.ceil(timeoutS * 1000));
    const signal = AbortSignal.timeout(timeoutMs);
    const fail = (status: number, message: string) => {
      synapse.dendrite.status_code = status;
      synapse.dendrite.status_message = message;
      return synapse;
    };
    try {
      const res = await this.agent.request({
        origin: `http://${target.ip.includes(':') ? `[${target.ip}]` : target.ip}:${target.port}`,
        path: `/${SYNAPSE_NAME}`,
        method: 'POST',
        headers,
        body: Readable.from(chunks, { objectMode: false }),
        signal,
      });
      await learn(res.headers);
      const raw = await this.readAnswer(res, maxResponseBytes);
      let json: unknown;
      try {
        json = JSON.parse(raw.toString('utf8'));
      } catch {
        return fail(422, 'Failed to parse response: not JSON');
      }
      try {
        const served = decodeHeaders(res.headers as Record<string, string | string[] | undefined>);
        synapse.axon = { ...synapse.axon, ...dropUndefined(served.axon) };
      } catch (err) {
        return fail(422, `Failed to parse response: ${(err as Error).message}`);
      }
      if (res.statusCode === 200) {
        const parsed = parseSynapseResponse(json, synapse.task);
        if (!parsed.ok) return fail(422, `Failed to parse response: ${parsed.message}`);
        synapse.scores = parsed.value.scores;
        synapse.miner_id = parsed.value.miner_id;
        synapse.model_version = parsed.value.model_version;
        synapse.error = parsed.value.error;
      } else {
        const message = (json as { message?: unknown } | null)?.message;
        synapse.axon.status_message = typeof message === 'string' ? message : `HTTP ${res.statusCode}`;
        const error = (json as { error?: unknown } | null)?.error;
        if (typeof error === 'string') synapse.error = error;
      }
      synapse.axon.status_code = res.statusCode;
      synapse.dendrite.status_code = res.statusCode;
      synapse.dendrite.status_message =
        synapse.axon.status_message ?? (res.statusCode === 200 ? 'Success' : `HTTP ${res.statusCode}`);
      return synapse;
    } catch (err) {
      if (hasErrorCode(err, ERRORS.AML_ERR_PROTOCOL_TOO_LARGE))
        return fail(413, `Response exceeds ${maxResponseBytes} bytes`);
      if (signal.aborted) return fail(408, `Request timeout after ${timeoutS} seconds`);
      const code = (err as { code?: string }).code ?? '';
      if (CONNECT_ERRORS.has(code))
        return fail(503, `Service unavailable at ${target.ip}:${target.port}/${SYNAPSE_NAME}`);
      if (DISCONNECT_ERRORS.has(code)) return fail(503, `Service disconnected: ${(err as Error).message}`);
      return fail(422, `Failed to parse response: ${(err as Error).message}`);
    } finally {
      synapse.dendrite.process_time = Number(process.hrtime.bigint() - start) / 1e9;
    }
  }

  /** The answer's bytes, decoded when the axon compressed them, within the size cap either way. */
  private async readAnswer(res: Dispatcher.ResponseData, maxBytes: number): Promise<Buffer> {
    const raw = await readCapped(res.body, maxBytes);
    const coding = contentCodingOf(res.headers['content-encoding']);
    if (coding === undefined) return raw;
    if (!isDecodable(coding)) throw new Error(`unsupported Content-Encoding ${coding}`);
    return decodeBody(raw, coding, maxBytes);
  }
}

function dropUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
