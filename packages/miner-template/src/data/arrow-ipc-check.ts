/**
 * Checks an Arrow IPC stream's (or file's) metadata before apache-arrow reads it. apache-arrow
 * trusts the flatbuffers it is given: one corrupted offset in a schema message (a field vector
 * read one byte off, so 15 fields become 983,040) made it allocate until a scoring worker's heap
 * was full. Here every message's flatbuffer is bounds-checked (flatbuffer-check.ts), and the
 * numbers apache-arrow sizes things by are bounded by the bytes there are: the body by what
 * follows the metadata, each buffer by the body, each row count by 8 rows a byte (a bit a value
 * is the least any column with a buffer takes). Layouts are those of Arrow's Message.fbs,
 * Schema.fbs and File.fbs (format version 5); field numbers below are their field order.
 */
import { FlatbufferCheck, type FlatTable } from './flatbuffer-check.js';

type Fail = (reason: string) => never;

const SCHEMA = 1;
const DICTIONARY_BATCH = 2;
const RECORD_BATCH = 3;
/** Type union members with an offset field of their own. */
const TIMESTAMP = 10;
const UNION = 14;
/** Nested fields deeper than this are refused: no table here nests more than a list of strings. */
const MAX_DEPTH = 64;
const FILE_MAGIC = 'ARROW1';
/** FieldNode and Buffer are structs of two int64; a file's Block is three 8-byte slots. */
const NODE_WIDTH = 16;
const BLOCK_WIDTH = 24;

/** Throws through `fail` unless `bytes` is an IPC stream or file whose metadata is sound. */
export function checkArrowIpc(bytes: Uint8Array, fail: Fail): void {
  if (startsWithMagic(bytes)) checkFile(bytes, fail);
  else checkStream(bytes, fail);
}

function startsWithMagic(bytes: Uint8Array): boolean {
  if (bytes.length < FILE_MAGIC.length) return false;
  for (let i = 0; i < FILE_MAGIC.length; i++) if (bytes[i] !== FILE_MAGIC.charCodeAt(i)) return false;
  return true;
}

/** The messages one after another, as apache-arrow's MessageReader reads them, to the end marker. */
function checkStream(bytes: Uint8Array, fail: Fail): void {
  let at = 0;
  for (let message = 0; ; message++) {
    const next = checkMessageAt(bytes, at, message, fail);
    if (next === undefined) return;
    at = next;
  }
}

/**
 * The message at `at` (continuation marker, metadata length, metadata, body); the position after
 * it, or undefined at the end of the stream (a zero length, or fewer than 4 bytes left).
 */
function checkMessageAt(bytes: Uint8Array, at: number, message: number, fail: Fail): number | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (at + 4 > bytes.length) return undefined;
  let length = view.getInt32(at, true);
  at += 4;
  if (length === -1) {
    if (at + 4 > bytes.length) return undefined;
    length = view.getInt32(at, true);
    at += 4;
  }
  if (length === 0) return undefined;
  const failHere: Fail = (reason) => fail(`message ${message}: ${reason}`);
  if (length < 0 || length > bytes.length - at)
    failHere(`declares ${length} metadata bytes, ${bytes.length - at} remain`);
  const body = checkMessage(new FlatbufferCheck(bytes, at, at + length, failHere), bytes.length);
  at += length;
  if (body > bytes.length - at) failHere(`declares a body of ${body} bytes, ${bytes.length - at} remain`);
  return at + body;
}

/** A Message: its header checked by type; its body length. */
function checkMessage(fb: FlatbufferCheck, frameLength: number): number {
  const fail: Fail = fb.fail;
  const message = fb.root();
  const type = fb.scalar(message, 1, 1);
  const header = fb.child(message, 2, 'message header');
  const body = fb.int64(message, 3);
  if (body < 0 || body > frameLength) fail(`body length ${body} in ${frameLength} bytes`);
  fb.tables(message, 4, 'key-value', (kv) => keyValue(fb, kv));
  if (header === undefined) fail('the message has no header');
  if (type === SCHEMA) schema(fb, header);
  else if (type === RECORD_BATCH) recordBatch(fb, header, body, frameLength);
  else if (type === DICTIONARY_BATCH) {
    fb.int64(header, 0);
    const data = fb.child(header, 1, 'dictionary data');
    if (data !== undefined) recordBatch(fb, data, body, frameLength);
  } else fail(`message type ${type} is not a schema, dictionary or record batch`);
  return body;
}

function keyValue(fb: FlatbufferCheck, kv: FlatTable): void {
  fb.string(kv, 0);
  fb.string(kv, 1);
}

function schema(fb: FlatbufferCheck, table: FlatTable): void {
  fb.scalar(table, 0, 2);
  fb.tables(table, 1, 'field', (f) => field(fb, f, 0));
  fb.tables(table, 2, 'key-value', (kv) => keyValue(fb, kv));
  fb.vector(table, 3, 8);
}

function field(fb: FlatbufferCheck, table: FlatTable, depth: number): void {
  if (depth > MAX_DEPTH) fb.fail(`fields nest deeper than ${MAX_DEPTH} levels`);
  fb.string(table, 0);
  fb.scalar(table, 1, 1);
  const typeId = fb.scalar(table, 2, 1);
  const type = fb.child(table, 3, 'field type');
  if (type !== undefined && typeId === TIMESTAMP) fb.string(type, 1);
  if (type !== undefined && typeId === UNION) fb.vector(type, 1, 4);
  const dictionary = fb.child(table, 4, 'dictionary encoding');
  if (dictionary !== undefined) fb.child(dictionary, 1, 'dictionary index type');
  fb.tables(table, 5, 'field', (child) => field(fb, child, depth + 1));
  fb.tables(table, 6, 'key-value', (kv) => keyValue(fb, kv));
}

function recordBatch(fb: FlatbufferCheck, table: FlatTable, body: number, frameLength: number): void {
  const fail: Fail = fb.fail;
  const maxRows = 8 * frameLength;
  const rows = fb.int64(table, 0);
  if (rows < 0 || rows > maxRows) fail(`a record batch of ${rows} rows in ${frameLength} bytes`);
  const nodes = fb.vector(table, 1, NODE_WIDTH);
  for (let i = 0; i < nodes.length; i++) {
    const length = fb.int64At(nodes.at + NODE_WIDTH * i);
    const nulls = fb.int64At(nodes.at + NODE_WIDTH * i + 8);
    if (length < 0 || length > maxRows || nulls < 0 || nulls > length)
      fail(`column node ${i} declares ${length} values (${nulls} null) in ${frameLength} bytes`);
  }
  const buffers = fb.vector(table, 2, NODE_WIDTH);
  for (let i = 0; i < buffers.length; i++) {
    const offset = fb.int64At(buffers.at + NODE_WIDTH * i);
    const length = fb.int64At(buffers.at + NODE_WIDTH * i + 8);
    if (offset < 0 || length < 0 || offset + length > body)
      fail(`buffer ${i} (${length} bytes at ${offset}) lies outside the ${body}-byte body`);
  }
  fb.child(table, 3, 'body compression');
  fb.vector(table, 4, 8);
}

/** A file: its footer (schema, block lists) and the message each block points at. */
function checkFile(bytes: Uint8Array, fail: Fail): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = bytes.length - FILE_MAGIC.length - 4;
  if (end < 8) fail(`an Arrow file of ${bytes.length} bytes is too short for its footer`);
  const length = view.getInt32(end, true);
  if (length <= 0 || length > end - 8) fail(`the file footer declares ${length} bytes`);
  const fb = new FlatbufferCheck(bytes, end - length, end, (reason) => fail(`file footer: ${reason}`));
  const footer = fb.root();
  const fileSchema = fb.child(footer, 1, 'schema');
  if (fileSchema !== undefined) schema(fb, fileSchema);
  fb.tables(footer, 4, 'key-value', (kv) => keyValue(fb, kv));
  let message = 0;
  for (const index of [2, 3]) {
    const blocks = fb.vector(footer, index, BLOCK_WIDTH);
    for (let i = 0; i < blocks.length; i++) {
      const offset = fb.int64At(blocks.at + BLOCK_WIDTH * i);
      if (offset < 8 || offset >= end) fail(`block ${i} points at byte ${offset}`);
      checkMessageAt(bytes, offset, message++, fail);
    }
  }
}
