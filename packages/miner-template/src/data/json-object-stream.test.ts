import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonObjectStream, MalformedJsonError } from './json-object-stream.js';

/** Feeds `text` in the given chunk sizes and rebuilds the object from the stream's members. */
function readBack(text: string, cuts: number[], groupBytes: number): unknown {
  const out: Record<string, unknown> = {};
  const stream = new JsonObjectStream(
    {
      value: (key, value) => {
        out[key] = value;
      },
      arrayStart: (key) => {
        out[key] = [];
      },
      elements: (key, items) => {
        (out[key] as unknown[]).push(...items);
      },
    },
    groupBytes,
  );
  const bytes = Buffer.from(text);
  let at = 0;
  for (const cut of cuts) {
    const next = Math.min(bytes.length, at + cut);
    stream.push(bytes.subarray(at, next));
    at = next;
  }
  stream.push(bytes.subarray(at));
  stream.finish();
  if (!stream.isWhole) return out;
  try {
    return JSON.parse(stream.whole());
  } catch {
    throw new MalformedJsonError('not JSON');
  }
}

// Keys that secure-json-parse refuses on purpose (prototype poisoning, as Fastify does) are left
// out at every depth: for them the reader differs from JSON.parse by design (tested below).
const safeJson = fc.jsonValue().filter((v) => !/"(__proto__|constructor)":/.test(JSON.stringify(v)));
const member = fc.oneof(safeJson, fc.array(safeJson, { maxLength: 12 }));
const body = fc.dictionary(
  fc.string({ maxLength: 8 }).filter((k) => k !== '__proto__' && k !== 'constructor'),
  member,
  {
    maxKeys: 6,
  },
);
const cuts = fc.array(fc.integer({ min: 1, max: 40 }), { maxLength: 30 });

describe('JsonObjectStream', () => {
  it('gives the members JSON.parse gives, however the bytes are cut and grouped', () => {
    fc.assert(
      fc.property(body, cuts, fc.integer({ min: 1, max: 64 }), fc.boolean(), (obj, c, group, pretty) => {
        const text = pretty ? JSON.stringify(obj, null, 2) : JSON.stringify(obj);
        expect(readBack(text, c, group)).toEqual(JSON.parse(text));
      }),
      { numRuns: 400 },
    );
  });

  it('refuses every text JSON.parse refuses (and accepts what it accepts)', () => {
    const mutated = fc
      .tuple(
        body,
        fc.array(fc.tuple(fc.nat(), fc.constantFrom(...'{}[],:"\\ 1an')), { minLength: 1, maxLength: 3 }),
      )
      .map(([obj, edits]) => {
        const chars = [...JSON.stringify(obj)];
        for (const [at, ch] of edits) chars.splice(at % (chars.length + 1), 0, ch);
        return chars.join('');
      });
    fc.assert(
      fc.property(mutated, cuts, fc.integer({ min: 1, max: 16 }), (text, c, group) => {
        let expected: unknown;
        try {
          expected = JSON.parse(text);
        } catch {
          expected = MalformedJsonError;
        }
        let got: unknown;
        try {
          got = readBack(text, c, group);
        } catch (err) {
          got = err instanceof MalformedJsonError ? MalformedJsonError : err;
        }
        if (expected !== MalformedJsonError && (typeof expected !== 'object' || expected === null)) return;
        expect(got).toEqual(expected);
      }),
      { numRuns: 1000 },
    );
  });

  it('refuses poisoned prototypes as Fastify does', () => {
    expect(() => readBack('{"__proto__": {"x": 1}}', [], 8)).toThrow(MalformedJsonError);
    expect(() => readBack('{"a": [{"__proto__": {"x": 1}}]}', [], 8)).toThrow(MalformedJsonError);
    expect(() => readBack('{"constructor": {"prototype": {}}}', [], 8)).toThrow(MalformedJsonError);
  });

  it('keeps a long string member whole across many chunks', () => {
    const field = 'A'.repeat(100_000);
    const text = JSON.stringify({ batch_arrow: field, explain: false });
    expect(readBack(text, Array(500).fill(173), 1 << 20)).toEqual({ batch_arrow: field, explain: false });
  });
});
