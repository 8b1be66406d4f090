/**
 * An answer array as UTF-8 JSON bytes, written where it was scored (the scoring worker) and moved
 * to the main thread without a copy: the main thread neither clones 50,000 answer objects nor
 * builds their JSON text (docs/api.md, "Memory"). The bytes are those of
 * `JSON.stringify(rows)` (an array's text is its items' texts joined by commas in brackets), built
 * item by item so the whole text never exists as one string beside the bytes.
 */
const encoder = new TextEncoder();

/**
 * Two passes: the exact length first, then the bytes into one buffer of that length. Growing a
 * buffer by doubling held the grown buffer, its trimmed copy and the buffer before it at once (2 to
 * 3 times the answer, which is 36 MB for 50,000 explained alerts) at the end of a large request,
 * where the worker's memory peaks. Each item's text is built twice instead: 56 MB of answers took
 * 0.5-0.8 s against 0.4-0.6 s (loaded machine), a few percent of scoring them.
 */
export function jsonArrayBytes(rows: readonly unknown[]): Uint8Array {
  let length = rows.length === 0 ? 2 : rows.length + 1; // brackets and commas
  for (let i = 0; i < rows.length; i++) length += Buffer.byteLength(json(rows[i]), 'utf8');
  const out = new Uint8Array(length);
  out[0] = 0x5b; // [
  let end = 1;
  for (let i = 0; i < rows.length; i++) {
    if (i > 0) out[end++] = 0x2c; // ,
    end += encoder.encodeInto(json(rows[i]), out.subarray(end)).written;
  }
  out[end] = 0x5d; // ]
  return out;
}

/** JSON.stringify's text for an array item: `null` where the item has none (undefined, a function). */
function json(item: unknown): string {
  return JSON.stringify(item) ?? 'null';
}
