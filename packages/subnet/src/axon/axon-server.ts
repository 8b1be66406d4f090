/**
 * The axon proxy: a node:http server that speaks Bittensor's axon protocol in front of a miner API.
 * Every synapse request passes the checks of docs/protocol.md in order (name 404, blacklist 403, signature 401,
 * nonce 401, coding 415, body size 413, body hash 400, priority 503/408) on headers first, so
 * unauthenticated callers never get their body read; then the body is forwarded once to the miner
 * API, unchanged (decoded first when it came with a Content-Encoding, body-intake.ts).
 * Operators get GET /healthz and GET /metrics. Nothing a caller or the API does can crash it.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BATCH_ARROW_CODECS, type BatchArrowCodec } from '@aml/miner-template/data';
import { u8aToHex } from '@polkadot/util';
import type { Logger } from 'pino';
import { pino } from 'pino';
import { amlError, ERRORS, isAmlError } from '../errors.js';
import { synapseBodyHash } from '../protocol/body-hash.js';
import { encodeAnswer } from '../protocol/content-coding.js';
import { scanSynapseEnvelope } from '../protocol/envelope-scan.js';
import { decodeHeaders } from '../protocol/headers.js';
import { NonceClock, NonceGuard } from '../protocol/nonce.js';
import { discardBounded } from '../protocol/read-capped.js';
import type { Signer } from '../protocol/signing.js';
import { verifyRequest } from '../protocol/signing.js';
import type { AmlTask } from '../protocol/synapse.js';
import { DEFAULT_TIMEOUT_S, SYNAPSE_NAME } from '../protocol/synapse.js';
import type { TerminalInfo } from '../protocol/terminal-info.js';
import { WIRE_VERSION } from '../protocol/version.js';
import { ApiCodecs } from './api-codecs.js';
import type { AnswerEnvelope } from './axon-response.js';
import { errorBody, successBody, writeAnswer } from './axon-response.js';
import type { BlacklistPolicy } from './blacklist.js';
import { blacklistReason, callerPriority } from './blacklist.js';
import { BodyIntake, type IntakeState } from './body-intake.js';
import type { AxonMetrics } from './metrics.js';
import { createAxonMetrics } from './metrics.js';
import type { MinerApiResult } from './miner-api-client.js';
import { apiFailure, MinerApiClient, MODEL_FOR_TASK, parseEntries } from './miner-api-client.js';
import type { NeuronRegistry } from './neuron-registry.js';
import { PriorityGate } from './priority-gate.js';
import { advertisedHeaders } from './request-coding.js';

export interface AxonProxyOptions {
  /** The miner's hotkey: a wallet Hotkey's `signer`, or any keyring pair. */
  hotkey: Signer;
  minerApiUrl: string;
  registry: NeuronRegistry;
  blacklist?: Partial<BlacklistPolicy>;
  /** Bind address (--axon.ip); default 0.0.0.0. */
  host?: string;
  /** --axon.port; 0 picks a free port. */
  port?: number;
  /** What the axon advertises in its TerminalInfo (--axon.external_ip / external_port). */
  externalIp?: string;
  externalPort?: number;
  maxBodyBytes?: number;
  /**
   * The `batch_arrow` codecs the proxy may advertise to dendrites (--axon.batch_codecs, default
   * gzip and brotli): it advertises those the miner API's GET /version lists too, gzip alone when
   * the API lists none (api-codecs.ts).
   */
  batchCodecs?: readonly BatchArrowCodec[];
  /** Total request bytes held in memory at once (default 1 GiB); beyond it, 503. */
  maxBufferedBytes?: number;
  maxApiResponseBytes?: number;
  /** Requests forwarded to the miner API at once, and how many may wait. */
  maxConcurrent?: number;
  maxQueued?: number;
  /** Largest synapse timeout accepted (seconds). */
  maxTimeoutS?: number;
  nonceMemory?: number;
  /** Slow-client guards: time to receive the headers, and the whole request. */
  headersTimeoutMs?: number;
  requestTimeoutMs?: number;
  connectionsCheckingIntervalMs?: number;
  logger?: Logger;
  metrics?: AxonMetrics;
}

/** Per-request state the error path needs to answer with proper synapse headers. */
interface Exchange extends IntakeState {
  startNs: bigint;
  task: string;
  timeout: number;
  dendrite: TerminalInfo;
  bodyHash: string;
  authenticated: boolean;
  bodyConsumed: boolean;
}

export class AxonProxy {
  readonly metrics: AxonMetrics;
  readonly uuid = randomUUID();
  private readonly server: Server;
  private readonly api: MinerApiClient;
  private readonly nonces: NonceGuard;
  private readonly clock = new NonceClock();
  private readonly gate: PriorityGate;
  private readonly policy: BlacklistPolicy;
  private readonly log: Logger;
  private readonly intake: BodyIntake;
  /** The batch codecs to advertise: the proxy's own that the miner API reads. */
  private readonly codecs: ApiCodecs;
  /** Headers every synapse answer carries (the request codings and batch codecs taken), per codec list. */
  private advertised: { for: readonly string[]; headers: Record<string, string> } | undefined;
  private readonly startedAt = Date.now();
  private boundPort: number | undefined;

  constructor(private readonly options: AxonProxyOptions) {
    this.metrics = options.metrics ?? createAxonMetrics();
    this.api = new MinerApiClient(options.minerApiUrl, {
      connections: Math.max(1, options.maxConcurrent ?? 4),
      maxResponseBytes: options.maxApiResponseBytes,
    });
    this.nonces = new NonceGuard(options.nonceMemory ?? 100_000, options.maxTimeoutS ?? 3_600);
    this.gate = new PriorityGate(options.maxConcurrent ?? 4, options.maxQueued ?? 64);
    this.policy = {
      minStake: options.blacklist?.minStake ?? 0,
      allowedHotkeys: options.blacklist?.allowedHotkeys ?? new Set(),
      requireValidatorPermit: options.blacklist?.requireValidatorPermit ?? true,
    };
    this.log = options.logger ?? pino({ level: 'silent' });
    this.intake = new BodyIntake(
      options.maxBodyBytes ?? 256 * 1024 * 1024,
      options.maxBufferedBytes ?? 1024 * 1024 * 1024,
    );
    this.codecs = new ApiCodecs(
      options.batchCodecs ?? BATCH_ARROW_CODECS,
      () => this.api.version(),
      this.log,
    );
    this.server = createServer(
      {
        headersTimeout: options.headersTimeoutMs ?? 10_000,
        requestTimeout: options.requestTimeoutMs ?? 300_000,
        connectionsCheckingInterval: options.connectionsCheckingIntervalMs ?? 1_000,
        keepAliveTimeout: 5_000,
      },
      (req, res) => {
        this.handle(req, res).catch((err: unknown) => {
          this.log.error({ err }, 'axon handler failed');
          if (!res.headersSent) res.destroy();
        });
      },
    );
    this.server.on('clientError', (_err, socket) => socket.destroy());
  }

  /** Asks the miner API what it reads, then starts listening; resolves with the bound address. */
  async listen(): Promise<{ host: string; port: number }> {
    await this.codecs.refresh();
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port ?? 8091, this.options.host ?? '0.0.0.0', () => resolve());
    });
    const addr = this.server.address() as AddressInfo;
    this.boundPort = addr.port;
    return { host: addr.address, port: addr.port };
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
    await this.api.close();
  }

  get hotkey(): string {
    return this.options.hotkey.address;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/healthz') return this.health(res);
    if (req.method === 'GET' && path === '/metrics') return this.prometheus(res);
    const ex: Exchange = {
      startNs: process.hrtime.bigint(),
      task: 'unknown',
      timeout: DEFAULT_TIMEOUT_S,
      dendrite: {},
      bodyHash: '',
      authenticated: false,
      bodyConsumed: false,
    };
    try {
      await this.serveSynapse(req, res, path, ex);
    } catch (err) {
      if (!isAmlError(err)) this.log.error({ err }, 'internal error');
      // Internal details stay in the log; the caller learns only that it was our fault.
      const known = isAmlError(err) ? err : amlError(ERRORS.AML_ERR_AXON_INTERNAL, ['Internal Server Error']);
      this.answer(res, ex, known.status, known.message, errorBody(known.message));
    }
  }

  private async serveSynapse(
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    ex: Exchange,
  ): Promise<void> {
    const name = path.split('/')[1] ?? '';
    if (name !== SYNAPSE_NAME || req.method !== 'POST') {
      throw amlError(ERRORS.AML_ERR_AXON_UNKNOWN_SYNAPSE, [name, SYNAPSE_NAME]);
    }
    const head = decodeHeaders(req.headers);
    ex.timeout = head.timeout;
    ex.bodyHash = head.computed_body_hash;
    ex.dendrite = { ...head.dendrite, ip: req.socket.remoteAddress, port: req.socket.remotePort };
    const hotkey = head.dendrite.hotkey;

    const refused = blacklistReason(hotkey, this.options.registry, this.policy);
    if (refused) throw amlError(ERRORS.AML_ERR_AXON_BLACKLISTED, [refused]);

    const { nonce, uuid, signature } = head.dendrite;
    if (!signature) throw amlError(ERRORS.AML_ERR_PROTOCOL_SIGNATURE, ['missing signature']);
    if (nonce === undefined || uuid === undefined || hotkey === undefined) {
      throw amlError(ERRORS.AML_ERR_PROTOCOL_SIGNATURE, ['missing nonce, uuid or hotkey']);
    }
    const signed = {
      nonce,
      dendriteHotkey: hotkey,
      axonHotkey: this.hotkey,
      dendriteUuid: uuid,
      bodyHash: head.computed_body_hash,
    };
    if (!verifyRequest(signature, signed)) {
      throw amlError(ERRORS.AML_ERR_PROTOCOL_SIGNATURE, [`signature does not match for axon ${this.hotkey}`]);
    }
    ex.authenticated = true;
    const verdict = this.nonces.check(hotkey, uuid, nonce, head.timeout);
    if (!verdict.ok) throw amlError(ERRORS.AML_ERR_PROTOCOL_NONCE, [verdict.reason]);
    this.nonces.record(hotkey, uuid, nonce);

    const deadlineMs = Number(ex.startNs / 1_000_000n) + head.timeout * 1000;
    const release = this.intake.admit(req, ex);
    try {
      await this.serveBody(req, res, ex, hotkey, head.computed_body_hash, head.timeout, deadlineMs);
    } finally {
      release();
    }
  }

  /** Steps 5–8: read and check the body, wait for a slot, forward, answer. */
  private async serveBody(
    req: IncomingMessage,
    res: ServerResponse,
    ex: Exchange,
    hotkey: string,
    bodyHash: string,
    timeoutS: number,
    deadlineMs: number,
  ): Promise<void> {
    const raw = await this.intake.read(req, ex, deadlineMs - nowMs(), timeoutS);
    ex.bodyConsumed = true;
    const synapse = scanSynapseEnvelope(raw);
    ex.task = synapse.task;
    const actual = synapseBodyHash(synapse);
    if (actual !== bodyHash) throw amlError(ERRORS.AML_ERR_PROTOCOL_BODY_HASH, [bodyHash, actual]);

    const slot = await this.gate.acquire(callerPriority(hotkey, this.options.registry), deadlineMs - nowMs());
    if (!slot.ok) {
      if (slot.reason === 'overloaded') {
        throw amlError(ERRORS.AML_ERR_AXON_OVERLOADED, [`${this.gate.queued} requests queued`]);
      }
      throw amlError(ERRORS.AML_ERR_AXON_TIMEOUT, [timeoutS]);
    }
    this.metrics.inFlight.set(this.gate.inFlight);
    this.metrics.queued.set(this.gate.queued);
    let result: MinerApiResult;
    try {
      result = await this.api.forward(synapse.task, raw, deadlineMs - nowMs());
      // A failure may mean another API now (one that reads fewer codecs): ask it again, off the
      // request's path; so too while the API has never answered GET /version.
      if (!result.ok || !this.codecs.known) void this.codecs.refresh();
    } finally {
      slot.release();
      this.metrics.inFlight.set(this.gate.inFlight);
      this.metrics.queued.set(this.gate.queued);
    }
    this.metrics.duration.observe({ task: synapse.task }, elapsedS(ex.startNs));
    await this.answerFromApi(res, ex, synapse.task, synapse.batch_id, result, timeoutS);
  }

  private async answerFromApi(
    res: ServerResponse,
    ex: Exchange,
    task: AmlTask,
    batchId: string,
    result: MinerApiResult,
    timeoutS: number,
  ): Promise<void> {
    const minerId = this.hotkey;
    if (result.ok) {
      const entries = parseEntries(result.body);
      if (entries) {
        const modelVersion = await this.modelVersion(task, entries);
        const env = this.envelope(ex, 200, 'Success');
        const body = successBody(env, task, batchId, result.body, minerId, modelVersion);
        const coded = await encodeAnswer(body, res.req.headers['accept-encoding']);
        this.finish(res, ex, 200, coded.body, env, coded.coding);
        return;
      }
      result = {
        ok: false,
        kind: 'bad_response',
        message: 'the miner API answer is not a JSON array of objects',
      };
    }
    this.metrics.minerApiErrors.inc({ kind: result.kind });
    const [status, message] = apiFailure(result, timeoutS);
    this.answer(
      res,
      ex,
      status,
      message,
      errorBody(message, { error: message, miner_id: minerId, model_version: null }),
    );
  }

  private async modelVersion(task: AmlTask, entries: unknown[]): Promise<string> {
    const first = entries[0] as { model_version?: unknown } | undefined;
    if (typeof first?.model_version === 'string' && first.model_version) return first.model_version;
    const versions = await this.api.modelVersions();
    return versions?.[MODEL_FOR_TASK[task]] ?? 'unknown';
  }

  private envelope(ex: Exchange, status: number, message: string): AnswerEnvelope {
    const axon: TerminalInfo = {
      status_code: status,
      status_message: message,
      process_time: elapsedS(ex.startNs),
      ip: this.options.externalIp ?? this.options.host ?? '0.0.0.0',
      port: this.options.externalPort ?? this.boundPort ?? this.options.port,
      version: WIRE_VERSION,
      uuid: this.uuid,
      hotkey: this.hotkey,
    };
    if (ex.authenticated && ex.dendrite.hotkey) {
      // As Bittensor's axon does: sign {axon.nonce}.{dendrite.hotkey}.{axon.hotkey}.{axon.uuid}.
      axon.nonce = this.clock.next();
      const message = `${axon.nonce}.${ex.dendrite.hotkey}.${this.hotkey}.${this.uuid}`;
      axon.signature = u8aToHex(this.options.hotkey.sign(new TextEncoder().encode(message)));
    }
    return { timeout: ex.timeout, dendrite: ex.dendrite, axon, computed_body_hash: ex.bodyHash };
  }

  private answer(res: ServerResponse, ex: Exchange, status: number, message: string, body: Buffer): void {
    this.finish(res, ex, status, body, this.envelope(ex, status, message));
  }

  private finish(
    res: ServerResponse,
    ex: Exchange,
    status: number,
    body: Buffer,
    env: AnswerEnvelope,
    coding?: 'gzip',
  ): void {
    const advertised = this.advertisedHeaders();
    const headers = coding ? { ...advertised, 'content-encoding': coding } : advertised;
    this.metrics.requests.inc({ status: String(status), task: ex.task });
    this.log.debug(
      { status, task: ex.task, dendrite: ex.dendrite.hotkey, message: env.axon.status_message },
      'synapse answered',
    );
    if (ex.discardBody) {
      // The 413 must reach a client that writes its whole body before reading: keep the
      // connection, answer, then read and drop the rest within bounds.
      writeAnswer(res, status, env, body, false, headers);
      const req = res.req;
      if (!req.complete && !req.destroyed)
        discardBounded(
          req,
          req.socket,
          Math.max(DISCARD_MIN_BYTES, this.intake.maxBodyBytes),
          DISCARD_MAX_MS,
        );
      return;
    }
    // Any other unread body (an unauthenticated caller) would be drained by Node without bound to
    // keep the connection alive: close instead.
    writeAnswer(res, status, env, body, !ex.bodyConsumed, headers);
  }

  private advertisedHeaders(): Record<string, string> {
    const codecs = this.codecs.codecs;
    if (this.advertised?.for !== codecs)
      this.advertised = { for: codecs, headers: advertisedHeaders(codecs) };
    return this.advertised.headers;
  }

  private health(res: ServerResponse): void {
    const body = JSON.stringify({
      status: 'ok',
      hotkey: this.hotkey,
      uptime_s: (Date.now() - this.startedAt) / 1000,
      in_flight: this.gate.inFlight,
      queued: this.gate.queued,
    });
    res.writeHead(200, { 'content-type': 'application/json' }).end(body);
  }

  private async prometheus(res: ServerResponse): Promise<void> {
    const text = await this.metrics.registry.metrics();
    res.writeHead(200, { 'content-type': this.metrics.registry.contentType }).end(text);
  }
}

/** How much of a refused body is read and dropped so its 413 is delivered: at least this many bytes… */
const DISCARD_MIN_BYTES = 64 * 1024 * 1024;
/** …and for at most this long, after which the connection is cut. */
const DISCARD_MAX_MS = 10_000;

function nowMs(): number {
  return Number(process.hrtime.bigint() / 1_000_000n);
}

function elapsedS(startNs: bigint): number {
  return Number(process.hrtime.bigint() - startNs) / 1e9;
}

/** Creates and starts an axon proxy. */
export async function startAxonProxy(
  options: AxonProxyOptions,
): Promise<{ proxy: AxonProxy; host: string; port: number }> {
  const proxy = new AxonProxy(options);
  const addr = await proxy.listen();
  return { proxy, ...addr };
}
