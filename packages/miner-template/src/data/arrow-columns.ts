/**
 * Whole-column Arrow reads and writes. Arrow's per-cell path (Vector.get, builders behind
 * vectorFromArray) dispatches through a visitor for every cell, which made a 10,000-alert batch
 * slower over Arrow than over JSON; these walk the buffers (validity bitmap, offsets, values)
 * directly. A chunk this module does not know (an unusual type, a sliced chunk) falls back to
 * Vector.get, so every Arrow type is still read, only the common ones fast.
 */
import {
  Bool,
  type Data,
  DataType,
  Dictionary,
  Field,
  Float64,
  Int32,
  List,
  makeData,
  makeVector,
  Precision,
  Utf8,
  type Vector,
} from 'apache-arrow';

// ---------------------------------------------------------------- read

/** A cell as the JSON a client would have sent: bigint -> number, NaN -> null, lists -> arrays. */
export function plainCell(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return Number.isNaN(v) ? null : v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (v instanceof Date) return v.getTime();
  if (
    typeof v === 'object' &&
    Symbol.iterator in v &&
    typeof (v as { toArray?: unknown }).toArray === 'function'
  ) {
    return Array.from(v as Iterable<unknown>, plainCell);
  }
  if (typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON === 'function') {
    return (v as { toJSON(): unknown }).toJSON();
  }
  return v;
}

function isValidAt(data: Data, i: number): boolean {
  if (data.nullCount === 0) return true;
  const bitmap = data.nullBitmap;
  if (bitmap === undefined || bitmap.length === 0) return true;
  return ((bitmap[i >> 3] >> (i & 7)) & 1) === 1;
}

function readUtf8(data: Data, out: unknown[], at: number): void {
  const offsets = data.valueOffsets as Int32Array;
  const bytes = data.values as Uint8Array;
  // Buffer.toString keeps a leading U+FEFF (a BOM strip is for whole documents, not cells) and,
  // like TextDecoder, replaces invalid sequences with U+FFFD
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < data.length; i++) {
    out[at + i] = isValidAt(data, i) ? text.toString('utf8', offsets[i], offsets[i + 1]) : null;
  }
}

function readNumbers(data: Data, out: unknown[], at: number): void {
  const values = data.values as Float64Array | Float32Array | Int32Array;
  for (let i = 0; i < data.length; i++) {
    const v = values[i];
    out[at + i] = isValidAt(data, i) && !Number.isNaN(v) ? v : null;
  }
}

function readBools(data: Data, out: unknown[], at: number): void {
  const bits = data.values as Uint8Array;
  for (let i = 0; i < data.length; i++) {
    out[at + i] = isValidAt(data, i) ? ((bits[i >> 3] >> (i & 7)) & 1) === 1 : null;
  }
}

function readDictionary(data: Data, out: unknown[], at: number): void {
  const dictionary = data.dictionary;
  if (dictionary === undefined) throw new Error('a dictionary column has no dictionary');
  const words = readColumn(dictionary);
  const keys = data.values as Int32Array;
  for (let i = 0; i < data.length; i++) out[at + i] = isValidAt(data, i) ? words[keys[i]] : null;
}

function readList(data: Data, out: unknown[], at: number): void {
  const offsets = data.valueOffsets as Int32Array;
  const child = data.children[0];
  const items = new Array<unknown>(child.length);
  readChunk(child, items, 0);
  for (let i = 0; i < data.length; i++) {
    out[at + i] = isValidAt(data, i) ? items.slice(offsets[i], offsets[i + 1]) : null;
  }
}

function isSmallInt(type: DataType): boolean {
  return DataType.isInt(type) && type.bitWidth <= 32;
}

function isWideFloat(type: DataType): boolean {
  return DataType.isFloat(type) && type.precision !== Precision.HALF;
}

/** The whole-buffer reader for a chunk, or undefined when it takes the per-cell path. */
function fastReader(data: Data): ((data: Data, out: unknown[], at: number) => void) | undefined {
  const { type } = data;
  if (data.offset !== 0) return undefined;
  if (DataType.isUtf8(type)) return readUtf8;
  if (isWideFloat(type) || isSmallInt(type)) return readNumbers;
  if (DataType.isBool(type)) return readBools;
  if (DataType.isDictionary(type) && isSmallInt(type.indices)) return readDictionary;
  if (DataType.isList(type) && data.children[0]?.offset === 0) return readList;
  return undefined;
}

function readChunk(data: Data, out: unknown[], at: number): void {
  const fast = fastReader(data);
  if (fast !== undefined) {
    fast(data, out, at);
    return;
  }
  const vector = makeVector(data) as Vector;
  for (let i = 0; i < data.length; i++) out[at + i] = plainCell(vector.get(i));
}

/** Every cell of a column as plainCell gives it, chunk by chunk. */
export function readColumn(column: Vector): unknown[] {
  const out = new Array<unknown>(column.length);
  let at = 0;
  for (const data of column.data) {
    readChunk(data, out, at);
    at += data.length;
  }
  return out;
}

/**
 * A numeric or boolean column as float64, missing (null or NaN) as NaN; undefined when the column
 * is of another type (the caller coerces it cell by cell).
 */
export function readFloatColumn(column: Vector): Float64Array | undefined {
  const { type } = column;
  if (!(isWideFloat(type) || isSmallInt(type))) return undefined;
  if (column.data.some((d) => d.offset !== 0)) return undefined;
  const out = new Float64Array(column.length);
  let at = 0;
  for (const data of column.data) {
    const values = data.values as Float64Array | Float32Array | Int32Array;
    out.set(values.subarray(0, data.length), at);
    if (data.nullCount !== 0) {
      for (let i = 0; i < data.length; i++) if (!isValidAt(data, i)) out[at + i] = Number.NaN;
    }
    at += data.length;
  }
  return out;
}

// ---------------------------------------------------------------- write

/** Validity bitmap for cells that are null; undefined when none is (Arrow omits it then). */
function validity(values: readonly unknown[]): { bitmap?: Uint8Array; nulls: number } {
  let nulls = 0;
  for (const v of values) if (v === null || v === undefined) nulls++;
  if (nulls === 0) return { nulls };
  const bitmap = new Uint8Array((values.length + 7) >> 3);
  for (let i = 0; i < values.length; i++) {
    if (values[i] !== null && values[i] !== undefined) bitmap[i >> 3] |= 1 << (i & 7);
  }
  return { bitmap, nulls };
}

function utf8Data(values: readonly unknown[]): Data<Utf8> {
  const { bitmap, nulls } = validity(values);
  const texts = values.map((v) =>
    v === null || v === undefined ? '' : typeof v === 'string' ? v : String(v),
  );
  const offsets = new Int32Array(values.length + 1);
  for (let i = 0; i < texts.length; i++) offsets[i + 1] = offsets[i] + Buffer.byteLength(texts[i], 'utf8');
  const bytes = Buffer.allocUnsafe(offsets[values.length]);
  for (let i = 0; i < texts.length; i++) bytes.write(texts[i], offsets[i], 'utf8');
  return makeData({
    type: new Utf8(),
    length: values.length,
    nullCount: nulls,
    nullBitmap: bitmap,
    valueOffsets: offsets,
    data: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength),
  });
}

/** A Utf8 column; null and undefined cells are nulls, other non-strings are written as String(v). */
export function utf8Vector(values: readonly unknown[]): Vector<Utf8> {
  return makeVector(utf8Data(values));
}

/**
 * A Dictionary<Int32, Utf8> column when the text repeats (at most half as many distinct values as
 * cells), else the plain Utf8 column. Entries are numbered in order of first appearance, and `id`
 * (unique within a table) names the dictionary: arrow-js would otherwise take the next number of a
 * process-wide counter, and the same batch would not give the same bytes (nor the same body hash).
 * Readers see the same strings (pyarrow's to_pylist, our readColumn); a batch's addresses, dates
 * and categories repeat, and gzip's 32 KB window cannot see a repeat further back than that, so
 * the dictionary is what shrinks them.
 */
export function utf8DictionaryVector(
  values: readonly unknown[],
  dictionaryId: number,
): Vector<Utf8> | Vector<Dictionary<Utf8, Int32>> {
  const ids = new Map<string, number>();
  const words: string[] = [];
  const keys = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) continue;
    const text = typeof v === 'string' ? v : String(v);
    let id = ids.get(text);
    if (id === undefined) {
      id = words.length;
      ids.set(text, id);
      words.push(text);
    }
    keys[i] = id;
  }
  if (words.length === 0 || words.length * 2 > values.length) return utf8Vector(values);
  const { bitmap, nulls } = validity(values);
  return makeVector(
    makeData({
      type: new Dictionary(new Utf8(), new Int32(), dictionaryId),
      length: values.length,
      nullCount: nulls,
      nullBitmap: bitmap,
      data: keys,
      dictionary: utf8Vector(words),
    }),
  );
}

/** A Float64 column: numbers as they are, anything else (null, undefined, NaN) a null. */
export function float64Vector(values: readonly unknown[]): Vector<Float64> {
  const numbers = values.map((v) => (typeof v === 'number' && !Number.isNaN(v) ? v : null));
  const { bitmap, nulls } = validity(numbers);
  const data = new Float64Array(values.length);
  for (let i = 0; i < numbers.length; i++) data[i] = numbers[i] ?? 0;
  return makeVector(
    makeData({ type: new Float64(), length: values.length, nullCount: nulls, nullBitmap: bitmap, data }),
  );
}

/** A Bool column: booleans as they are, anything else a null. */
export function boolVector(values: readonly unknown[]): Vector<Bool> {
  const flags = values.map((v) => (typeof v === 'boolean' ? v : null));
  const { bitmap, nulls } = validity(flags);
  const data = new Uint8Array((values.length + 7) >> 3);
  for (let i = 0; i < flags.length; i++) if (flags[i] === true) data[i >> 3] |= 1 << (i & 7);
  return makeVector(
    makeData({ type: new Bool(), length: values.length, nullCount: nulls, nullBitmap: bitmap, data }),
  );
}

/** A List<Utf8> column: arrays of strings as they are, anything else a null. */
export function utf8ListVector(values: readonly unknown[]): Vector<List<Utf8>> {
  const lists = values.map((v) => (Array.isArray(v) ? (v as unknown[]) : null));
  const { bitmap, nulls } = validity(lists);
  const offsets = new Int32Array(values.length + 1);
  for (let i = 0; i < lists.length; i++) offsets[i + 1] = offsets[i] + (lists[i]?.length ?? 0);
  const child = utf8Data(lists.flatMap((l) => l ?? []));
  return makeVector(
    makeData({
      type: new List(new Field('item', new Utf8(), true)),
      length: values.length,
      nullCount: nulls,
      nullBitmap: bitmap,
      valueOffsets: offsets,
      child,
    }),
  );
}
