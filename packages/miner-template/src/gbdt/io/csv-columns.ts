/**
 * A streaming CSV parser that writes each cell straight into a growing Float64Array per column:
 * no record arrays, no per-character string building, so a file is read chunk by chunk in
 * memory proportional to its numbers (8 bytes a cell) rather than to its text. RFC 4180 quoting,
 * LF or CRLF line ends, blank lines skipped; the first record is the header.
 */
import { isAscii } from 'node:buffer';
import { StringDecoder } from 'node:string_decoder';
import { amlError, ERRORS } from '../../errors.js';
import { readDecimal, scanEnd, scanned } from './decimal.js';

/** The parsed table (the shape table-reader.ts returns). */
export interface CsvColumns {
  columnNames: string[];
  columns: Float64Array[];
  numRows: number;
  /** Columns holding a cell that is not a number: name -> `row R: "text"` of the first one. */
  nonNumeric: Map<string, string>;
}

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;

// A piece is text or ASCII bytes: these read either. Module functions, not closures made per
// piece: a new closure each time is a new call target, and V8 throws away the parser's optimized
// code when one changes.
function charAt(text: string | undefined, bytes: Buffer | undefined, at: number): number {
  return bytes !== undefined ? (bytes[at] as number) : (text as string).charCodeAt(at);
}

function slicePiece(text: string | undefined, bytes: Buffer | undefined, from: number, to: number): string {
  return bytes !== undefined ? bytes.toString('latin1', from, to) : (text as string).slice(from, to);
}

/** Position of `char` from `from` on, or the piece's length when there is none. */
function indexOrEnd(text: string | undefined, bytes: Buffer | undefined, char: number, from: number): number {
  if (bytes !== undefined) {
    const at = bytes.indexOf(char, from);
    return at < 0 ? bytes.length : at;
  }
  const t = text as string;
  const at = t.indexOf(String.fromCharCode(char), from);
  return at < 0 ? t.length : at;
}

export class CsvColumnsBuilder {
  private header: string[] | undefined;
  private headerFields: string[] = [];
  private columns: Float64Array[] = [];
  private capacity = 0;
  private numRows = 0;
  /** Rows already handed out by takeRows (error messages count rows from the file's start). */
  private rowsBefore = 0;
  /** Field index within the current record. */
  private field = 0;
  /** Text of the current field carried over from earlier chunks (or unquoted from quotes). */
  private carry = '';
  private inQuotes = false;
  /** Just saw a quote inside a quoted field: the next character decides ("" or the end). */
  private quotePending = false;
  /** The current field started with a quote (so an empty carry is still a field). */
  private fieldTouched = false;
  private skipLf = false;
  private firstFieldEmpty = false;
  private first = true;
  private readonly nonNumeric = new Map<string, string>();
  /** Set once a piece was not ASCII: from then on pieces are decoded as UTF-8 text. */
  private decoder: StringDecoder | undefined;
  /** Bytes fed so far (for the size estimate). */
  private bytesSeen = 0;
  private estimated = false;

  /**
   * `expectedBytes`: the whole input's size when known (a file's). After the first piece the
   * columns are sized for the rows that many bytes should hold, so a file is not copied into ever
   * larger arrays whose old copies stay allocated until a collection (doubling from 1,024 rows
   * left about three times the table's size behind).
   */
  constructor(
    private readonly parseCell: (cell: string) => number | undefined,
    private readonly source: string,
    private readonly expectedBytes = 0,
  ) {}

  /**
   * Feeds the next piece of the file's bytes (UTF-8). While the pieces are ASCII, a byte is a
   * character, so plain numbers are read from the bytes and only other cells become strings;
   * from the first piece holding other bytes on, pieces are decoded to text (a UTF-8 sequence may
   * be cut between pieces) and every cell goes through parseCell.
   */
  pushBytes(piece: Uint8Array): void {
    let chunk = piece;
    if (this.first && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) {
      // a byte order mark would make the first piece non-ASCII: drop it here
      this.first = false;
      chunk = chunk.subarray(3);
    }
    if (this.decoder === undefined && isAscii(chunk)) {
      if (chunk.length > 0) this.first = false;
      this.scan(undefined, Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    } else {
      this.decoder ??= new StringDecoder('utf8');
      this.push(this.decoder.write(chunk as Buffer));
    }
    this.bytesSeen += piece.byteLength;
    if (!this.estimated && this.expectedBytes > 0 && this.numRows >= 64) this.reserveEstimate();
  }

  /** Capacity for the rows the expected bytes should hold at the first piece's bytes per row, plus 2%. */
  private reserveEstimate(): void {
    this.estimated = true;
    const rows = Math.ceil(((this.expectedBytes * this.numRows) / this.bytesSeen) * 1.02) + 64;
    if (rows > this.capacity) this.resize(rows);
  }

  /** Feeds the next piece of the file's text. */
  push(chunk: string): void {
    let text = chunk;
    if (this.first && text.length > 0) {
      this.first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    this.scan(text, undefined);
  }

  /**
   * Parses one piece, given as text or, when ASCII, as bytes (a byte is then a character): from
   * bytes no string of the whole piece is made, only of the cells that are not plain numbers.
   */
  private scan(text: string | undefined, bytes: Buffer | undefined): void {
    const n = bytes !== undefined ? bytes.length : (text as string).length;
    let start = 0;
    let i = 0;
    let nextComma = -1;
    let nextLf = -1;
    let nextCr = -1;
    while (i < n) {
      const c = charAt(text, bytes, i);
      if (this.skipLf) {
        this.skipLf = false;
        if (c === LF) {
          start = ++i;
          continue;
        }
      }
      if (this.inQuotes) {
        if (this.quotePending) {
          this.quotePending = false;
          if (c === QUOTE) {
            // "" inside quotes: one literal quote
            this.carry += '"';
            start = ++i;
            continue;
          }
          this.inQuotes = false;
          start = i;
          continue;
        }
        if (c === QUOTE) {
          this.carry += slicePiece(text, bytes, start, i);
          this.quotePending = true;
          start = ++i;
          continue;
        }
        i++;
        continue;
      }
      if (
        bytes !== undefined &&
        i === start &&
        ((c >= 48 && c <= 57) || c === 45 || c === 46 || c === 43) &&
        this.carry === '' &&
        this.header !== undefined
      ) {
        // a plain decimal cell ending inside this piece: read straight from the bytes (the same
        // double parseCell's Number() gives, without making a string); anything else (text,
        // spaces, a cell cut by the piece's end) takes the general path below
        const ok = readDecimal(bytes, i);
        const end = scanEnd;
        const d = end < n ? (bytes[end] as number) : 0;
        if (ok && (d === COMMA || d === LF || d === CR)) {
          const f = this.field++;
          if (f === 0) this.firstFieldEmpty = false;
          this.store(f, scanned[0] as number);
          if (d !== COMMA) {
            this.endRecord();
            if (d === CR) this.skipLf = true;
          }
          start = i = end + 1;
          continue;
        }
      }
      if (c === QUOTE && i === start && this.carry === '' && !this.fieldTouched) {
        this.inQuotes = true;
        this.fieldTouched = true;
        start = ++i;
        continue;
      }
      if (c === COMMA) {
        this.endField(this.carry + slicePiece(text, bytes, start, i));
        start = ++i;
        continue;
      }
      if (c === LF || c === CR) {
        this.endField(this.carry + slicePiece(text, bytes, start, i));
        this.endRecord();
        if (c === CR) this.skipLf = true;
        start = ++i;
        continue;
      }
      // inside unquoted text only a delimiter matters: jump to the next one with the engine's
      // native search (a quote here is literal) instead of a loop turn per character
      if (nextComma < i) nextComma = indexOrEnd(text, bytes, COMMA, i);
      if (nextLf < i) nextLf = indexOrEnd(text, bytes, LF, i);
      if (nextCr < i) nextCr = indexOrEnd(text, bytes, CR, i);
      i = Math.min(nextComma, nextLf, nextCr);
    }
    this.carry += slicePiece(text, bytes, start, n);
    if (this.carry !== '') this.fieldTouched = true;
  }

  /** Complete rows parsed so far and not yet taken. */
  get pendingRows(): number {
    return this.numRows;
  }

  /**
   * Hands out the complete rows parsed so far (copies) and forgets them, keeping the header and
   * the buffers: the streaming reader takes a chunk of rows at a time, so memory is bounded by
   * the chunk rather than the file. The header must have been read.
   */
  takeRows(): CsvColumns {
    const header = this.header;
    if (header === undefined) throw amlError(ERRORS.AML_ERR_IO_FORMAT, [this.source, 'no header row']);
    const n = this.numRows;
    const columns = header.map((_, c) => (this.columns[c] as Float64Array).slice(0, n));
    // the record being parsed has its first fields written at row n already: move them to row 0
    for (let c = 0; c < Math.min(this.field, header.length); c++) {
      const column = this.columns[c] as Float64Array;
      column[0] = column[n] as number;
    }
    this.rowsBefore += n;
    this.numRows = 0;
    return { columnNames: header, columns, numRows: n, nonNumeric: this.nonNumeric };
  }

  /** Ends the input (a last record without a line end counts) and returns the table. */
  finish(): CsvColumns {
    const rest = this.decoder?.end() ?? '';
    if (rest !== '') this.push(rest);
    this.inQuotes = false;
    if (this.fieldTouched || this.field > 0 || this.carry !== '') {
      this.endField(this.carry);
      this.endRecord();
    }
    const header = this.header;
    if (header === undefined) throw amlError(ERRORS.AML_ERR_IO_FORMAT, [this.source, 'no header row']);
    // little slack (an estimate that held) stays as a view; more is copied out and let go
    const tight = (this.capacity - this.numRows) * 16 <= this.capacity;
    const columns = header.map((_, c) => {
      const col = this.columns[c] ?? new Float64Array(0);
      if (col.length === this.numRows) return col;
      return tight ? col.subarray(0, this.numRows) : col.slice(0, this.numRows);
    });
    this.columns = [];
    return { columnNames: header, columns, numRows: this.numRows, nonNumeric: this.nonNumeric };
  }

  private endField(text: string): void {
    this.carry = '';
    this.fieldTouched = false;
    const f = this.field++;
    if (f === 0) this.firstFieldEmpty = text === '';
    if (this.header === undefined) {
      this.headerFields.push(text);
      return;
    }
    if (f >= this.header.length) return; // counted, reported at the record's end
    const v = this.parseCell(text);
    if (v === undefined) {
      const name = this.header[f] as string;
      if (!this.nonNumeric.has(name))
        this.nonNumeric.set(name, `row ${this.rowsBefore + this.numRows + 2}: "${text}"`);
    }
    this.store(f, v ?? Number.NaN);
  }

  /** The value of field f of the current record (fields past the header's are only counted). */
  private store(f: number, v: number): void {
    if (f >= (this.header as string[]).length) return;
    if (this.numRows === this.capacity) this.grow();
    (this.columns[f] as Float64Array)[this.numRows] = v;
  }

  private endRecord(): void {
    const count = this.field;
    this.field = 0;
    if (this.header === undefined) {
      const fields = this.headerFields;
      this.headerFields = [];
      // a blank line is no record
      if (fields.length === 1 && fields[0] === '') return;
      this.header = fields.map((h) => h.trim());
      this.columns = this.header.map(() => new Float64Array(0));
      return;
    }
    // a blank line is no record
    if (count === 1 && this.firstFieldEmpty) return;
    if (count !== this.header.length) {
      throw amlError(ERRORS.AML_ERR_IO_FORMAT, [
        this.source,
        `row ${this.rowsBefore + this.numRows + 2}: expected ${this.header.length} fields, got ${count}`,
      ]);
    }
    this.numRows++;
  }

  private grow(): void {
    // past an estimate, grow by a quarter: the estimate was close
    this.resize(Math.max(1024, this.estimated ? Math.ceil(this.capacity * 1.25) : this.capacity * 2));
  }

  private resize(capacity: number): void {
    this.columns = this.columns.map((old) => {
      const next = new Float64Array(capacity);
      // with the current record's fields stored so far (row numRows)
      next.set(old.subarray(0, Math.min(old.length, this.numRows + 1)));
      return next;
    });
    this.capacity = capacity;
  }
}
