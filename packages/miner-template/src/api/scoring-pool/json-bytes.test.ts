import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonArrayBytes } from './json-bytes.js';

const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe('jsonArrayBytes', () => {
  it('writes the bytes of JSON.stringify for any array', () => {
    fc.assert(
      fc.property(fc.array(fc.anything({ withObjectString: true, withNullPrototype: false })), (rows) => {
        expect(Buffer.from(jsonArrayBytes(rows))).toEqual(Buffer.from(JSON.stringify(rows)));
      }),
      { numRuns: 300 },
    );
  });

  it('sizes every UTF-16 string exactly, lone surrogates included (each a 3-byte U+FFFD)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary' })), (texts) => {
        const rows = texts.map((explain_json) => ({ explain_json }));
        const bytes = jsonArrayBytes(rows);
        expect(bytes.length).toBe(Buffer.byteLength(JSON.stringify(rows), 'utf8'));
        expect(Buffer.from(bytes)).toEqual(Buffer.from(JSON.stringify(rows)));
      }),
      { numRuns: 300 },
    );
  });

  it('writes answer rows with multi-byte text and leaves an absent explanation out', () => {
    const rows = [
      {
        alert_id: 'a-€-1',
        score: 0.25,
        model_version: '1.0.0',
        latency_ms: 0.1,
        explain_json: '{"x":"é😀"}',
      },
      { alert_id: 'b', score: 1, model_version: '1.0.0', latency_ms: 0.1, explain_json: undefined },
    ];
    const text = decode(jsonArrayBytes(rows));
    expect(text).toBe(
      '[{"alert_id":"a-€-1","score":0.25,"model_version":"1.0.0","latency_ms":0.1,"explain_json":"{\\"x\\":\\"é😀\\"}"},' +
        '{"alert_id":"b","score":1,"model_version":"1.0.0","latency_ms":0.1}]',
    );
  });

  it('gives an empty array and holes as JSON does', () => {
    expect(decode(jsonArrayBytes([]))).toBe('[]');
    expect(decode(jsonArrayBytes([undefined, () => 1, 2]))).toBe('[null,null,2]');
  });

  it('owns its buffer, sized to the text, so it can be transferred', () => {
    const bytes = jsonArrayBytes([{ a: 'x'.repeat(1000) }]);
    expect(bytes.byteOffset).toBe(0);
    expect(bytes.buffer.byteLength).toBe(bytes.length);
  });
});
