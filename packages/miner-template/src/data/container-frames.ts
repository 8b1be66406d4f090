/**
 * The batch container (arrow-container.ts) read as its bytes arrive: each table's IPC stream is
 * gathered into a buffer of its own, decoded as soon as it is complete and let go, so the whole
 * container (141 MB at 50,000 alerts) is never in memory at once, and each frame's buffer starts
 * at offset 0, so the Arrow reader uses it in place rather than copying it to align it.
 *
 * The outcome is decodeBatchArrow's for the same bytes: the same tables, and for bad bytes the same
 * error. The whole-buffer reader checks the framing of the entire container before it decodes any
 * table, and decodes features before the row tables; here a table is decoded as it arrives, so a
 * table's error is kept and reported only once the framing is known to be sound, in that order.
 */
import { isAmlError } from '../errors.js';
import type { DecodedArrowBatch } from './arrow-batch.js';
import { decodeContainerTable, requestSource } from './arrow-batch.js';
import {
  ARROW_FORMAT_VERSION,
  ARROW_MAGIC,
  CONTAINER_TABLES,
  type ContainerTable,
} from './arrow-container.js';
import { arrowFormatError } from './arrow-format-error.js';
import type { FeatureTable } from './batch.js';
import { ArrowRowColumns } from './codec-arrow.js';

/** decodeArrowTables' order: features first, then the row tables. */
const DECODE_ORDER: readonly ContainerTable[] = ['features', 'alerts', 'clusters', 'money_flows'];

interface Frame {
  name: string;
  length: number;
  /** The payload so far; undefined when it is not kept (a table that is refused, or too large). */
  bytes?: Uint8Array;
  filled: number;
  /** Raised once the payload is complete (unknown or repeated table name). */
  refusal?: Error;
}

export class ContainerFrameReader {
  /** Bytes of an incomplete header (magic + version, or a frame header). */
  private head = new Uint8Array(0);
  private at = 0;
  private started = false;
  private frame: Frame | undefined;
  private readonly seen = new Set<string>();
  /** The first error in the framing; once set, the rest of the bytes are only counted. */
  private framing: Error | undefined;
  private readonly decoded = new Map<ContainerTable, ArrowRowColumns | FeatureTable>();
  private readonly failed = new Map<ContainerTable, Error>();

  /** `maxBytes`: no frame buffer is allocated beyond it (the container cannot be larger). */
  constructor(private readonly maxBytes: number) {}

  push(chunk: Uint8Array): void {
    let i = 0;
    while (i < chunk.length && this.framing === undefined) {
      if (this.frame !== undefined) i = this.fill(chunk, i);
      else i = this.header(chunk, i);
    }
    this.at += chunk.length - i; // bytes after a framing error: counted, not read
  }

  /** The decoded tables, or the error decodeBatchArrow gives for the same bytes. */
  finish(): DecodedArrowBatch {
    if (this.framing !== undefined) throw this.framing;
    if (!this.started) throw arrowFormatError(`expected at least 8 bytes, got ${this.head.length}`);
    if (this.frame !== undefined) {
      const { name, length, filled } = this.frame;
      throw arrowFormatError(`table ${JSON.stringify(name)} declares ${length} bytes, only ${filled} remain`);
    }
    if (this.head.length > 0)
      throw arrowFormatError(`truncated frame header at byte ${this.at - this.head.length}`);
    if (!this.seen.has('alerts')) throw arrowFormatError('the alerts table is missing');
    for (const name of DECODE_ORDER) {
      const err = this.failed.get(name);
      if (err !== undefined) throw err;
    }
    const rows = (name: ContainerTable) =>
      (this.decoded.get(name) as ArrowRowColumns | undefined) ?? new ArrowRowColumns([], [], 0);
    return {
      alerts: rows('alerts'),
      features: (this.decoded.get('features') as FeatureTable | undefined) ?? {
        address: [],
        columns: new Map(),
      },
      clusters: rows('clusters'),
      money_flows: rows('money_flows'),
    };
  }

  /** Reads header bytes from `chunk` at `i`; the index after what it took. */
  private header(chunk: Uint8Array, i: number): number {
    const want = this.started ? this.frameHeaderLength(chunk, i) : 8;
    const take = Math.min(want - this.head.length, chunk.length - i);
    const head = new Uint8Array(this.head.length + take);
    head.set(this.head);
    head.set(chunk.subarray(i, i + take), this.head.length);
    this.head = head;
    this.at += take;
    if (head.length === want) {
      this.head = new Uint8Array(0);
      if (this.started) this.openFrame(head);
      else this.checkStart(head);
    }
    return i + take;
  }

  /** A frame header's full length once its name length is known (2 bytes), else 2 for now. */
  private frameHeaderLength(chunk: Uint8Array, i: number): number {
    const first = this.head.length > 0 ? this.head[0] : chunk[i];
    const second = this.head.length > 1 ? this.head[1] : this.head.length === 1 ? chunk[i] : chunk[i + 1];
    if (this.head.length + (chunk.length - i) < 2) return 2;
    return 2 + (first | (second << 8)) + 4;
  }

  private checkStart(head: Uint8Array): void {
    const magic = new TextDecoder().decode(head.subarray(0, 4));
    if (magic !== ARROW_MAGIC) {
      this.framing = arrowFormatError(`expected magic "${ARROW_MAGIC}", got ${JSON.stringify(magic)}`);
      return;
    }
    const version = new DataView(head.buffer).getUint32(4, true);
    if (version !== ARROW_FORMAT_VERSION) {
      this.framing = arrowFormatError(`expected format version ${ARROW_FORMAT_VERSION}, got ${version}`);
      return;
    }
    this.started = true;
  }

  private openFrame(head: Uint8Array): void {
    const view = new DataView(head.buffer);
    const nameLength = view.getUint16(0, true);
    const name = new TextDecoder('utf-8', { fatal: false }).decode(head.subarray(2, 2 + nameLength));
    const length = view.getUint32(2 + nameLength, true);
    const frame: Frame = { name, length, filled: 0 };
    if (!(CONTAINER_TABLES as readonly string[]).includes(name)) {
      frame.refusal = arrowFormatError(
        `unknown table ${JSON.stringify(name)}; expected one of ${CONTAINER_TABLES.join(', ')}`,
      );
    } else if (this.seen.has(name))
      frame.refusal = arrowFormatError(`table ${JSON.stringify(name)} appears twice`);
    else if (length <= this.maxBytes) frame.bytes = new Uint8Array(length);
    this.frame = frame;
    this.completeIfFull();
  }

  /** Copies payload bytes from `chunk` at `i`; the index after what it took. */
  private fill(chunk: Uint8Array, i: number): number {
    const frame = this.frame!;
    const take = Math.min(frame.length - frame.filled, chunk.length - i);
    frame.bytes?.set(chunk.subarray(i, i + take), frame.filled);
    frame.filled += take;
    this.at += take;
    this.completeIfFull();
    return i + take;
  }

  private completeIfFull(): void {
    const frame = this.frame!;
    if (frame.filled < frame.length) return;
    this.frame = undefined;
    if (frame.refusal !== undefined) {
      this.framing = frame.refusal;
      return;
    }
    const name = frame.name as ContainerTable;
    this.seen.add(name);
    // the frame is decoded now and its bytes are garbage after: only its table is kept
    const bytes = frame.bytes ?? new Uint8Array(0);
    frame.bytes = undefined;
    try {
      this.decoded.set(name, decodeContainerTable(name, bytes));
    } catch (err) {
      this.failed.set(name, asFormatError(err));
    }
  }
}

/** As decodeArrowTables: whatever the Arrow reader trips on is a format error naming its reason. */
function asFormatError(err: unknown): Error {
  if (isAmlError(err)) return err;
  return requestSource('alerts').format(err instanceof Error ? err.message : String(err));
}
