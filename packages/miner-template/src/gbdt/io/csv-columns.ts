/**
 * A streaming CSV parser that writes each cell straight into a growing Float64Array per column:
 * no record arrays, no per-character string building, so a file is read chunk by chunk in
 * memory proportional to its numbers (8 bytes a cell) rather than to its text. RFC 4180 quoting,
 * LF or CRLF line ends, blank lines skipped; the first record is the header.
 */
import { amlError, ERRORS } from '../../errors.js';

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

/** Position of `char` in `text` from `from` on, or text.length when there is none. */
function indexOrEnd(text: string, char: string, from: number): number {
  const at = text.indexOf(char, from);
  return at < 0 ? text.length : at;
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

  constructor(
    private readonly parseCell: (cell: string) => number | undefined,
    private readonly source: string,
  ) {}

  /** Feeds the next piece of the file's text. */
  push(chunk: string): void {
    let text = chunk;
    if (this.first && text.length > 0) {
      this.first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    const n = text.length;
    let start = 0;
    let i = 0;
    let nextComma = -1;
    let nextLf = -1;
    let nextCr = -1;
    while (i < n) {
      const c = text.charCodeAt(i);
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
          this.carry += text.slice(start, i);
          this.quotePending = true;
          start = ++i;
          continue;
        }
        i++;
        continue;
      }
      if (c === QUOTE && i === start && this.carry === '' && !this.fieldTouched) {
        this.inQuotes = true;
        this.fieldTouched = true;
        start = ++i;
        continue;
      }
      if (c === COMMA) {
        this.endField(this.carry + text.slice(start, i));
        start = ++i;
        continue;
      }
      if (c === LF || c === CR) {
        this.endField(this.carry + text.slice(start, i));
        this.endRecord();
        if (c === CR) this.skipLf = true;
        start = ++i;
        continue;
      }
      // inside unquoted text only a delimiter matters: jump to the next one with the engine's
      // native search (a quote here is literal) instead of a loop turn per character
      if (nextComma < i) nextComma = indexOrEnd(text, ',', i);
      if (nextLf < i) nextLf = indexOrEnd(text, '\n', i);
      if (nextCr < i) nextCr = indexOrEnd(text, '\r', i);
      i = Math.min(nextComma, nextLf, nextCr);
    }
    this.carry += text.slice(start, n);
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
    this.inQuotes = false;
    if (this.fieldTouched || this.field > 0 || this.carry !== '') {
      this.endField(this.carry);
      this.endRecord();
    }
    const header = this.header;
    if (header === undefined) throw amlError(ERRORS.AML_ERR_IO_FORMAT, [this.source, 'no header row']);
    const columns = header.map((_, c) => {
      const col = this.columns[c] ?? new Float64Array(0);
      return col.length === this.numRows ? col : col.slice(0, this.numRows);
    });
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
    if (this.numRows === this.capacity) this.grow();
    const v = this.parseCell(text);
    const column = this.columns[f] as Float64Array;
    if (v === undefined) {
      const name = this.header[f] as string;
      if (!this.nonNumeric.has(name))
        this.nonNumeric.set(name, `row ${this.rowsBefore + this.numRows + 2}: "${text}"`);
      column[this.numRows] = Number.NaN;
    } else column[this.numRows] = v;
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
    const capacity = Math.max(1024, this.capacity * 2);
    this.columns = this.columns.map((old) => {
      const next = new Float64Array(capacity);
      next.set(old.subarray(0, this.numRows));
      return next;
    });
    this.capacity = capacity;
  }
}
