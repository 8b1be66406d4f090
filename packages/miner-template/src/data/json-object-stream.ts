/**
 * An incremental reader for one JSON object whose large members are arrays of rows (a batch
 * request body): bytes go in chunk by chunk as they arrive, and out come the top-level members,
 * an array member as groups of parsed elements. Only the bytes of the group being read are kept,
 * so a 400 MB body never exists as one string or one tree of objects. Each group is parsed by
 * secure-json-parse (what Fastify's own JSON parser uses, prototype-poisoning checks included), so
 * a valid body gives the values JSON.parse gives; any invalid byte sequence is a MalformedJsonError.
 * A body that is not an object at the top is kept whole (`whole()`), for the caller's exact path.
 */
import secureJson from 'secure-json-parse';

/** The body is not valid JSON (or carries a poisoned `__proto__` / `constructor` key). */
export class MalformedJsonError extends Error {}

export interface JsonObjectSink {
  /** A member whose value is not an array, parsed. */
  value(key: string, value: unknown): void;
  /** A member whose value is an array: called once at its start, then `elements` for each group. */
  arrayStart(key: string): void;
  /** The next elements of the member's array, in order. */
  elements(key: string, items: unknown[]): void;
  /**
   * A member whose value is a string: a sink to stream it to (instead of one `value` call with the
   * whole string), or undefined to have it parsed as usual.
   */
  stringStart?(key: string): StringSink | undefined;
}

/**
 * A string member's characters as they arrive, escapes decoded: ASCII as its bytes, any other
 * character as bytes >= 0x80 (UTF-8). Each `write`'s bytes are valid only during the call.
 */
export interface StringSink {
  write(bytes: Uint8Array): void;
  end(): void;
}

/** One-character escapes (\" \\ \/ \b \f \n \r \t) to the byte they stand for. */
const ESCAPED = new Map<number, number>([
  [0x22, 0x22],
  [0x5c, 0x5c],
  [0x2f, 0x2f],
  [0x62, 0x08],
  [0x66, 0x0c],
  [0x6e, 0x0a],
  [0x72, 0x0d],
  [0x74, 0x09],
]);
const HEX4 = /^[0-9a-fA-F]{4}$/;

const PARSE_OPTIONS = { protoAction: 'error', constructorAction: 'error' } as const;
/** Elements are parsed in groups of about this many bytes: big enough for JSON.parse to be fast. */
const GROUP_BYTES = 1 << 20;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/** What scanArray must look at in a byte: nothing (0), a quote, an opener, a closer, a comma. */
const KIND_QUOTE = 1;
const KIND_OPEN = 2;
const KIND_CLOSE = 3;
const KIND_COMMA = 4;
const BYTE_KIND = new Uint8Array(256);
BYTE_KIND[QUOTE] = KIND_QUOTE;
BYTE_KIND[OPEN_BRACE] = KIND_OPEN;
BYTE_KIND[OPEN_BRACKET] = KIND_OPEN;
BYTE_KIND[CLOSE_BRACE] = KIND_CLOSE;
BYTE_KIND[CLOSE_BRACKET] = KIND_CLOSE;
BYTE_KIND[COMMA] = KIND_COMMA;

const isObject = (v: unknown): v is object => typeof v === 'object' && v !== null;
const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/**
 * secure-json-parse scans every text with two regular expressions before it parses; a group that
 * cannot hold a poisoned key (no `__proto__`, no `constructor`, no \u escape that could spell one)
 * goes straight to JSON.parse, which gives the same value.
 */
function parse(text: string): unknown {
  try {
    if (!text.includes('__proto__') && !text.includes('constructor') && !text.includes('\\u')) {
      return JSON.parse(text);
    }
    return secureJson.parse(text, undefined, PARSE_OPTIONS);
  } catch (err) {
    throw new MalformedJsonError(err instanceof Error ? err.message : String(err));
  }
}

type State =
  | 'start'
  | 'key-or-end'
  | 'key'
  | 'colon'
  | 'value'
  | 'array'
  | 'scalar'
  | 'string'
  | 'after-value'
  | 'done';

export class JsonObjectStream {
  /** Unconsumed bytes live in buf[from, end); bytes before `from` are released on compaction. */
  private buf = Buffer.alloc(0);
  private from = 0;
  private end = 0;
  /** Scan position (absolute within buf). */
  private at = 0;
  private state: State = 'start';
  private seenKey = false;
  private key = '';
  /** Where the current value (or array group) starts; nesting depth inside it; in a string. */
  private start = 0;
  private depth = 0;
  private inString = false;
  /** The current group ended at a comma: a `]` right after it is a trailing comma. */
  private afterComma = false;
  private keepWhole = false;
  private bytes = 0;
  /** Where a streamed string member goes (state 'string'). */
  private stringSink: StringSink | undefined;

  /** `groupBytes`: how many bytes of elements to gather before parsing them (tests use tiny groups). */
  constructor(
    private readonly sink: JsonObjectSink,
    private readonly groupBytes = GROUP_BYTES,
  ) {}

  /** Bytes pushed so far. */
  get length(): number {
    return this.bytes;
  }

  /** True when the body is not an object at the top: it is kept whole for `whole()`. */
  get isWhole(): boolean {
    return this.keepWhole;
  }

  push(chunk: Uint8Array): void {
    this.bytes += chunk.length;
    this.append(chunk);
    if (!this.keepWhole) this.scan();
  }

  /** Ends the body; throws MalformedJsonError when it stopped short of the object's end. */
  finish(): void {
    if (this.keepWhole) return;
    if (this.state === 'scalar') this.endScalar(this.end);
    if (this.state !== 'done') throw new MalformedJsonError('Unexpected end of JSON input');
    // the members are out: let the bytes go before the caller scores what they held
    this.buf = Buffer.alloc(0);
    this.from = this.end = this.at = this.start = 0;
  }

  /** The whole body as text, when it was not an object (isWhole). */
  whole(): string {
    return this.buf.toString('utf8', this.from, this.end);
  }

  private append(chunk: Uint8Array): void {
    const keep = this.keepWhole ? this.from : Math.min(this.start, this.at);
    if (this.end + chunk.length > this.buf.length) {
      const live = this.end - keep;
      const next = Buffer.allocUnsafe(Math.max(2 * (live + chunk.length), 1 << 16));
      this.buf.copy(next, 0, keep, this.end);
      this.rebase(keep);
      this.buf = next;
    }
    this.buf.set(chunk, this.end);
    this.end += chunk.length;
  }

  /** Moves every position back by `by` bytes (the buffer was compacted). */
  private rebase(by: number): void {
    this.from -= by;
    this.end -= by;
    this.at -= by;
    this.start -= by;
  }

  private fail(what: string): never {
    throw new MalformedJsonError(`${what} at byte ${this.bytes - (this.end - this.at)}`);
  }

  /**
   * The index of the quote closing a string that is open at `i`, or -1 when it has not arrived:
   * then `inString` is set and the next scan resumes the search where this one stopped, so a long
   * string (a 100 MB batch_arrow) is searched once, not once per chunk.
   */
  private closingQuote(i: number): number {
    const b = this.buf;
    const end = this.end;
    // keys and most values are short: a plain loop beats a native call for those
    const near = Math.min(end, i + 64);
    let q = i;
    while (q < near && b[q] !== QUOTE) q++;
    if (q === near) q = near < end ? b.indexOf(QUOTE, near) : -1;
    while (q !== -1 && q < end) {
      let slashes = 0;
      while (b[q - 1 - slashes] === BACKSLASH) slashes++;
      if (slashes % 2 === 0) {
        this.inString = false;
        return q;
      }
      q = b.indexOf(QUOTE, q + 1);
    }
    this.inString = true;
    return -1;
  }

  /** At a quote (or with a string left open), the index just past the string, or -1 for not yet. */
  private pastString(i: number): number {
    const q = this.closingQuote(this.inString ? i : i + 1);
    return q === -1 ? -1 : q + 1;
  }

  private skipSpace(): boolean {
    while (this.at < this.end && isSpace(this.buf[this.at])) this.at++;
    return this.at < this.end;
  }

  private scan(): void {
    const b = this.buf;
    for (;;) {
      switch (this.state) {
        case 'start': {
          if (this.at === 0 && this.end >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) this.at = 3;
          if (!this.skipSpace()) return;
          if (b[this.at] !== OPEN_BRACE) {
            this.keepWhole = true;
            return;
          }
          this.at++;
          this.state = 'key-or-end';
          break;
        }
        case 'key-or-end':
        case 'key': {
          if (!this.skipSpace()) return;
          const c = b[this.at];
          if (c === CLOSE_BRACE && this.state === 'key-or-end' && !this.seenKey) {
            this.at++;
            this.state = 'done';
            break;
          }
          if (c !== QUOTE) this.fail('expected a member name');
          const q = this.closingQuote(this.at + 1);
          if (q === -1) return;
          this.key = parse(b.toString('utf8', this.at, q + 1)) as string;
          if (this.key === '__proto__')
            throw new MalformedJsonError('Object contains forbidden prototype property');
          this.seenKey = true;
          this.at = q + 1;
          this.state = 'colon';
          break;
        }
        case 'colon':
          if (!this.skipSpace()) return;
          if (b[this.at] !== COLON) this.fail('expected ":"');
          this.at++;
          this.state = 'value';
          break;
        case 'value': {
          if (!this.skipSpace()) return;
          this.start = this.at;
          this.depth = 0;
          this.inString = false;
          if (b[this.at] === OPEN_BRACKET) {
            this.sink.arrayStart(this.key);
            this.at++;
            this.start = this.at;
            this.depth = 1;
            this.afterComma = false;
            this.state = 'array';
          } else if (b[this.at] === QUOTE && this.streamsString()) {
            this.at++;
            this.start = this.at;
            this.state = 'string';
          } else this.state = 'scalar';
          break;
        }
        case 'string':
          if (!this.scanString()) return;
          break;
        case 'array':
          if (!this.scanArray()) return;
          break;
        case 'scalar':
          if (!this.scanValue()) return;
          break;
        case 'after-value': {
          if (!this.skipSpace()) return;
          const c = b[this.at++];
          if (c === COMMA) this.state = 'key';
          else if (c === CLOSE_BRACE) this.state = 'done';
          else this.fail('expected "," or "}"');
          break;
        }
        case 'done':
          if (this.skipSpace()) this.fail('unexpected data after the object');
          this.start = this.at;
          return;
      }
    }
  }

  /** Walks an array member; flushes a group at a top-level comma once it is big enough. */
  private scanArray(): boolean {
    const b = this.buf;
    const end = this.end;
    let i = this.at;
    if (this.inString) {
      i = this.pastString(i);
      if (i === -1) {
        this.at = end;
        return false;
      }
    }
    // locals in the hot loop: most bytes are digits and punctuation that need one table load
    let depth = this.depth;
    while (i < end) {
      const kind = BYTE_KIND[b[i]];
      if (kind === 0) {
        i++;
        continue;
      }
      if (kind === KIND_QUOTE) {
        i = this.pastString(i);
        if (i === -1) {
          i = end;
          break;
        }
        continue;
      }
      if (kind === KIND_OPEN) depth++;
      else if (kind === KIND_CLOSE) {
        depth--;
        if (depth === 0) {
          this.depth = 0;
          if (b[i] !== CLOSE_BRACKET) this.fail('unbalanced brackets');
          this.flushGroup(i, true);
          this.at = i + 1;
          this.state = 'after-value';
          return true;
        }
      } else if (depth === 1 && i - this.start >= this.groupBytes) {
        this.flushGroup(i, false);
        this.start = i + 1;
      }
      i++;
    }
    this.depth = depth;
    this.at = i;
    return false;
  }

  private flushGroup(stop: number, last: boolean): void {
    const text = this.buf.toString('utf8', this.start, stop);
    const empty = !/\S/.test(text);
    if (last && this.afterComma && empty) this.fail('trailing comma');
    this.afterComma = !last;
    if (empty && last) return;
    this.sink.elements(this.key, parse(`[${text}]`) as unknown[]);
  }

  /**
   * A string member with no escape and no control character is its bytes between the quotes, as
   * JSON.parse would give it: decoded once, without a second copy of a 100 MB batch_arrow field.
   */
  private plainString(stop: number): string | undefined {
    const b = this.buf;
    if (stop - this.start < 2 || b[this.start] !== QUOTE || b[stop - 1] !== QUOTE) return undefined;
    for (let i = this.start + 1; i < stop - 1; i++) {
      const c = b[i];
      if (c < 0x20 || c === BACKSLASH) return undefined;
    }
    return b.toString('utf8', this.start + 1, stop - 1);
  }

  /** Asks the sink whether the string member starting here is streamed to it. */
  private streamsString(): boolean {
    this.stringSink = this.sink.stringStart?.(this.key);
    return this.stringSink !== undefined;
  }

  /**
   * Passes a streamed string's characters to its sink up to the closing quote, decoding escapes as
   * JSON.parse does and refusing what it refuses (a raw control character, an unknown escape). An
   * escape cut by the end of the bytes so far is left for the next push.
   */
  private scanString(): boolean {
    const b = this.buf;
    const sink = this.stringSink!;
    let i = this.at;
    let run = i;
    const flush = (to: number) => {
      if (to > run) sink.write(b.subarray(run, to));
    };
    while (i < this.end) {
      const c = b[i];
      if (c === QUOTE) {
        flush(i);
        this.stringSink = undefined;
        sink.end();
        this.at = this.start = i + 1;
        this.state = 'after-value';
        return true;
      }
      if (c < 0x20) this.fail('bad control character in string literal');
      if (c !== BACKSLASH) {
        i++;
        continue;
      }
      flush(i);
      const length = this.escapeAt(i);
      if (length === 0) break; // cut: resumes at the backslash
      i += length;
      run = i;
    }
    if (i >= this.end) flush(this.end);
    this.at = this.start = Math.min(i, this.end);
    return false;
  }

  /** Decodes the escape at `i` to the string sink; its length, or 0 when it has not all arrived. */
  private escapeAt(i: number): number {
    const b = this.buf;
    if (i + 1 >= this.end) return 0;
    const simple = ESCAPED.get(b[i + 1]);
    if (simple !== undefined) {
      this.stringSink!.write(Uint8Array.of(simple));
      return 2;
    }
    if (b[i + 1] !== 0x75) this.fail('bad escaped character in string literal');
    if (i + 6 > this.end) return 0;
    const hex = b.toString('latin1', i + 2, i + 6);
    if (!HEX4.test(hex)) this.fail('bad Unicode escape in string literal');
    this.stringSink!.write(Buffer.from(String.fromCharCode(Number.parseInt(hex, 16)), 'utf8'));
    return 6;
  }

  /** Walks a non-array member value (object, string, number, literal) to its end. */
  private scanValue(): boolean {
    const b = this.buf;
    let i = this.at;
    while (i < this.end) {
      const c = b[i];
      if (c === QUOTE || this.inString) {
        i = this.pastString(i);
        if (i === -1) {
          i = this.end;
          break;
        }
        if (this.depth === 0) return this.endScalar(i);
        continue;
      }
      if (c === OPEN_BRACE || c === OPEN_BRACKET) this.depth++;
      else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        if (this.depth === 0) return this.endScalar(i);
        this.depth--;
        if (this.depth === 0) return this.endScalar(i + 1);
      } else if (this.depth === 0 && (c === COMMA || isSpace(c))) return this.endScalar(i);
      i++;
    }
    this.at = i;
    return false;
  }

  private endScalar(stop: number): true {
    if (stop === this.start) this.fail('expected a value');
    const value = this.plainString(stop) ?? parse(this.buf.toString('utf8', this.start, stop));
    // secure-json-parse refuses a `constructor` member holding a `prototype`: so do we at the top
    if (this.key === 'constructor' && isObject(value) && Object.hasOwn(value, 'prototype')) {
      throw new MalformedJsonError('Object contains forbidden prototype property');
    }
    this.sink.value(this.key, value);
    this.at = stop;
    this.start = stop;
    this.state = 'after-value';
    return true;
  }
}
