import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scanSynapseEnvelope, scanTopLevel } from './envelope-scan.js';

const enc = (s: string) => new TextEncoder().encode(s);
const valueAt = (text: string, range: [number, number]) =>
  JSON.parse(new TextDecoder().decode(enc(text).subarray(...range)));

describe('top-level scan', () => {
  it('finds every top-level value JSON.parse finds, for arbitrary objects and formatting', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), fc.boolean(), (obj, pretty) => {
        const text = JSON.stringify(obj, null, pretty ? 2 : undefined);
        const ranges = scanTopLevel(enc(text));
        const expected = JSON.parse(text) as Record<string, unknown>;
        expect([...ranges.keys()].sort()).toEqual(Object.keys(expected).sort());
        for (const [k, r] of ranges) expect(valueAt(text, r)).toEqual(expected[k]);
      }),
    );
  });
  it('keeps the last of duplicate keys, like JSON.parse', () => {
    const text = '{"batch_id":"a","batch_id":"b"}';
    expect(valueAt(text, scanTopLevel(enc(text)).get('batch_id') as [number, number])).toBe(
      JSON.parse(text).batch_id,
    );
  });
  it('rejects what is not one JSON object', () => {
    for (const bad of ['', '[]', '{"a":1', '{"a" 1}', '{"a":"x}', '{"a":1} x', '{"a":[1,2}', '{a:1}']) {
      expect(() => scanTopLevel(enc(bad)), bad).toThrow();
    }
  });
});

describe('synapse envelope scan', () => {
  it('reads the envelope and leaves the tables unparsed', () => {
    const text = JSON.stringify({
      name: 'AmlScoringSynapse',
      timeout: 12,
      task: 'rank_alerts',
      batch_id: 'b "quoted" }{',
      alerts: [{ alert_id: 'x', note: '] } "' }],
      features: null,
      dendrite: { nonce: 1, hotkey: 'h' },
    });
    const env = scanSynapseEnvelope(enc(text));
    expect(env.task).toBe('rank_alerts');
    expect(env.batch_id).toBe('b "quoted" }{');
    expect(env.alerts).toEqual([]);
    expect(env.dendrite.hotkey).toBe('h');
    expect(() => scanSynapseEnvelope(enc('{"task":"score_alerts","batch_id":"b","alerts":5}'))).toThrow(
      /alerts/,
    );
    expect(() => scanSynapseEnvelope(enc('{"task":"nope","batch_id":"b"}'))).toThrow(/task/);
  });
});
