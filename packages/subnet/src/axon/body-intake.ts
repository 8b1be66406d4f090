/**
 * How the axon takes in a request body (docs/protocol.md, steps 4b–5b): the coding is one it
 * decodes (415), the declared size is within the body limit (413), the bodies held at once stay
 * within the memory limit (503); then the body is read within the limit and the synapse deadline,
 * and decoded when it has a coding (400 when it is not in it, 413 past the limit once decoded).
 * A refusal the caller must receive although it is still sending marks the exchange `discardBody`.
 */
import type { IncomingMessage } from 'node:http';
import { amlError, ERRORS, hasErrorCode, isAmlError } from '../errors.js';
import type { ContentCoding } from '../protocol/content-coding.js';
import { readCapped } from '../protocol/read-capped.js';
import { decodeRequestBody, requestCoding } from './request-coding.js';

/** The part of the axon's per-request state the intake reads and writes. */
export interface IntakeState {
  discardBody?: boolean;
  coding?: ContentCoding;
  /** Bytes of the decoded body, held on top of the reservation for the raw one. */
  decodedBytes?: number;
}

export class BodyIntake {
  /** The limit as --axon.max_body_mb takes it, for the 413 message. */
  readonly maxBodyMb: number;
  private readonly maxBufferedBytes: number;
  private held = 0;

  constructor(
    readonly maxBodyBytes: number,
    maxBufferedBytes: number,
  ) {
    this.maxBodyMb = Math.round((maxBodyBytes / (1024 * 1024)) * 100) / 100;
    this.maxBufferedBytes = Math.max(maxBodyBytes, maxBufferedBytes);
  }

  /** The checks on headers; reserves the body's memory and returns what releases it. */
  admit(req: IncomingMessage, ex: IntakeState): () => void {
    try {
      ex.coding = requestCoding(req.headers['content-encoding']);
    } catch (err) {
      ex.discardBody = true;
      throw err;
    }
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > this.maxBodyBytes) {
      ex.discardBody = true;
      throw this.tooLarge();
    }
    // Bodies are held from reading until the answer; bound their total, not just each one.
    const reserved = declared > 0 ? declared : this.maxBodyBytes;
    if (this.held + reserved > this.maxBufferedBytes) throw this.overloaded();
    this.held += reserved;
    return () => {
      this.held -= reserved + (ex.decodedBytes ?? 0);
    };
  }

  /** The body, read within the limit and `remainingMs`, decoded when it has a coding. */
  async read(req: IncomingMessage, ex: IntakeState, remainingMs: number, timeoutS: number): Promise<Buffer> {
    const raw = await this.readRaw(req, ex, remainingMs, timeoutS);
    if (!ex.coding) return raw;
    const body = await decodeRequestBody(raw, ex.coding, this.maxBodyBytes, this.maxBodyMb);
    ex.decodedBytes = body.length;
    this.held += body.length;
    if (this.held > this.maxBufferedBytes) throw this.overloaded();
    return body;
  }

  private async readRaw(
    req: IncomingMessage,
    ex: IntakeState,
    remainingMs: number,
    timeoutS: number,
  ): Promise<Buffer> {
    const timer = setTimeout(
      () => req.destroy(amlError(ERRORS.AML_ERR_AXON_TIMEOUT, [timeoutS])),
      Math.max(0, remainingMs),
    );
    try {
      return await readCapped(req, this.maxBodyBytes, { onExceed: 'pause' });
    } catch (err) {
      if (hasErrorCode(err, ERRORS.AML_ERR_PROTOCOL_TOO_LARGE)) {
        ex.discardBody = true;
        throw this.tooLarge();
      }
      if (isAmlError(err)) throw err;
      throw amlError(ERRORS.AML_ERR_PROTOCOL_BODY, [`could not read the body: ${(err as Error).message}`]);
    } finally {
      clearTimeout(timer);
    }
  }

  private tooLarge(): Error {
    return amlError(ERRORS.AML_ERR_AXON_BODY_TOO_LARGE, [this.maxBodyBytes, this.maxBodyMb]);
  }

  private overloaded(): Error {
    return amlError(ERRORS.AML_ERR_AXON_OVERLOADED, ['request bodies held in memory are at the limit']);
  }
}
