import { Table, tableFromArrays, tableToIPC } from 'apache-arrow';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  boolVector,
  float64Vector,
  utf8DictionaryVector,
  utf8ListVector,
  utf8Vector,
} from './arrow-columns.js';
import { checkArrowIpc } from './arrow-ipc-check.js';
import { alertArb } from './batch-arbitraries.test-support.js';

const refuse = (reason: string): never => {
  throw new Error(reason);
};

/** A table with each column kind the codec writes, from any alerts. */
function tableOf(rows: readonly Record<string, unknown>[]): Table {
  const column = (key: string) => rows.map((r) => r[key]);
  return new Table({
    alert_id: utf8Vector(column('alert_id')),
    address: utf8DictionaryVector(column('address'), 0),
    alert_confidence_score: float64Vector(column('alert_confidence_score')),
    flag: boolVector(rows.map((_, i) => i % 3 === 0)),
    tags: utf8ListVector(rows.map((r) => [String(r.alert_id), String(r.address)])),
  });
}

describe('checkArrowIpc', () => {
  it('accepts every stream and file apache-arrow writes, dictionaries and nested lists included', () => {
    fc.assert(
      fc.property(
        fc.array(alertArb, { maxLength: 40 }),
        fc.constantFrom('stream', 'file'),
        (alerts, kind) => {
          const table = tableOf(alerts as unknown as Record<string, unknown>[]);
          expect(() => checkArrowIpc(tableToIPC(table, kind as 'stream' | 'file'), refuse)).not.toThrow();
        },
      ),
      { numRuns: 150 },
    );
  });

  it('refuses metadata that points outside itself, naming the message and the reason', () => {
    const bytes = tableToIPC(tableFromArrays({ id: ['a', 'b', 'c'], x: Float64Array.from([1, 2, 3]) }));
    expect(() => checkArrowIpc(bytes, refuse)).not.toThrow();
    // the schema message's metadata starts at byte 8; its root offset pointed past the metadata
    const rootOutside = bytes.slice();
    new DataView(rootOutside.buffer).setUint32(8, 1 << 20, true);
    expect(() => checkArrowIpc(rootOutside, refuse)).toThrow(/^message 0: root table .* lies outside/);
    // a metadata length beyond the bytes there are
    const longMetadata = bytes.slice();
    new DataView(longMetadata.buffer).setInt32(4, bytes.length, true);
    expect(() => checkArrowIpc(longMetadata, refuse)).toThrow(/^message 0: declares \d+ metadata bytes/);
    // cut inside the last (record batch) message's body; a dictionary batch comes before it
    expect(() => checkArrowIpc(bytes.subarray(0, bytes.length - 16), refuse)).toThrow(
      /^message 2: declares a body of \d+ bytes, \d+ remain/,
    );
  });
});
