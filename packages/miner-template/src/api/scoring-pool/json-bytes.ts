/**
 * An answer array as UTF-8 JSON bytes, written where it was scored (the scoring worker) and moved
 * to the main thread without a copy: the main thread neither clones 50,000 answer objects nor
 * builds their JSON text (docs/api.md, "Memory"). The bytes are those of
 * `JSON.stringify(rows)` (an array's text is its items' texts joined by commas in brackets), built
 * item by item so the whole text never exists as one string beside the bytes.
 */
const encoder = new TextEncoder();

export function jsonArrayBytes(rows: readonly unknown[]): Uint8Array {
  let out = new Uint8Array(Math.max(64, rows.length * 96));
  let end = 0;
  const write = (text: string) => {
    // a UTF-16 unit becomes at most 3 UTF-8 bytes
    const need = end + text.length * 3;
    if (need > out.length) {
      const grown = new Uint8Array(Math.max(need, out.length * 2));
      grown.set(out.subarray(0, end));
      out = grown;
    }
    end += encoder.encodeInto(text, out.subarray(end)).written;
  };
  write('[');
  for (let i = 0; i < rows.length; i++) write(i === 0 ? json(rows[i]) : `,${json(rows[i])}`);
  write(']');
  // the exact length in a buffer of its own, so it can be transferred without dragging the slack
  return out.slice(0, end);
}

/** JSON.stringify's text for an array item: `null` where the item has none (undefined, a function). */
function json(item: unknown): string {
  return JSON.stringify(item) ?? 'null';
}
