import {
  Bool,
  Dictionary,
  Field,
  Float32,
  Float64,
  Int8,
  Int32,
  List,
  Table,
  tableFromIPC,
  tableToIPC,
  Utf8,
  type Vector,
  vectorFromArray,
} from 'apache-arrow';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  boolVector,
  float64Vector,
  plainCell,
  readColumn,
  readFloatColumn,
  utf8DictionaryVector,
  utf8ListVector,
  utf8Vector,
} from './arrow-columns.js';

/** The per-cell reference: what Vector.get gives, made plain. */
const cellByCell = (v: Vector) => Array.from({ length: v.length }, (_, i) => plainCell(v.get(i)));

/** Through IPC bytes, as the API receives columns (single chunk, offset 0). */
function viaIpc(v: Vector): Vector {
  return tableFromIPC(tableToIPC(new Table({ c: v }), 'stream')).getChild('c')!;
}

const text = fc.option(fc.string({ maxLength: 8, unit: 'binary' }), { nil: null });
const num = fc.option(fc.double(), { nil: null });

describe('readColumn', () => {
  it('reads utf8, float, int, bool, list and dictionary columns as Vector.get does', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(text, num, fc.option(fc.boolean(), { nil: null }), fc.integer({ min: -128, max: 127 })),
          {
            maxLength: 40,
          },
        ),
        fc.array(fc.option(fc.array(fc.string({ maxLength: 4 }), { maxLength: 3 }), { nil: null }), {
          maxLength: 20,
        }),
        (rows, lists) => {
          const vectors: Vector[] = [
            vectorFromArray(
              rows.map((r) => r[0]),
              new Utf8(),
            ),
            vectorFromArray(
              rows.map((r) => r[1]),
              new Float64(),
            ),
            vectorFromArray(
              rows.map((r) => r[1]),
              new Float32(),
            ),
            vectorFromArray(
              rows.map((r) => r[3]),
              new Int8(),
            ),
            vectorFromArray(
              rows.map((r) => r[2]),
              new Bool(),
            ),
            vectorFromArray(
              rows.map((r) => r[0]),
              new Dictionary(new Utf8(), new Int32()),
            ),
            vectorFromArray(lists, new List(new Field('item', new Utf8(), true))),
          ];
          for (const v of vectors) {
            expect(readColumn(viaIpc(v))).toEqual(cellByCell(v));
            // a sliced (offset) chunk takes the per-cell path and still agrees
            const half = v.slice(Math.floor(v.length / 2));
            expect(readColumn(half)).toEqual(cellByCell(half));
          }
        },
      ),
    );
  });

  it('keeps a leading U+FEFF in a cell, as JSON does (TextDecoder would drop it)', () => {
    const v = viaIpc(utf8Vector(['\uFEFFa', 'b\uFEFF', null]));
    expect(readColumn(v)).toEqual(['\uFEFFa', 'b\uFEFF', null]);
  });

  it('reads float columns bit for bit, nulls as NaN', () => {
    fc.assert(
      fc.property(fc.array(num, { maxLength: 40 }), (values) => {
        const floats = readFloatColumn(viaIpc(vectorFromArray(values, new Float64())))!;
        expect(Array.from(floats)).toEqual(values.map((v) => v ?? Number.NaN));
        expect(readFloatColumn(viaIpc(vectorFromArray(values.map(String), new Utf8())))).toBeUndefined();
      }),
    );
  });
});

describe('column writers', () => {
  it('write what vectorFromArray writes, read back the same', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(text, num, fc.option(fc.boolean(), { nil: null })), { maxLength: 40 }),
        fc.array(fc.option(fc.array(fc.string({ maxLength: 4 }), { maxLength: 3 }), { nil: null }), {
          maxLength: 20,
        }),
        (rows, lists) => {
          const pairs: [Vector, Vector][] = [
            [
              utf8Vector(rows.map((r) => r[0])),
              vectorFromArray(
                rows.map((r) => r[0]),
                new Utf8(),
              ),
            ],
            [
              float64Vector(rows.map((r) => r[1])),
              vectorFromArray(
                rows.map((r) => r[1]),
                new Float64(),
              ),
            ],
            [
              boolVector(rows.map((r) => r[2])),
              vectorFromArray(
                rows.map((r) => r[2]),
                new Bool(),
              ),
            ],
            [utf8ListVector(lists), vectorFromArray(lists, new List(new Field('item', new Utf8(), true)))],
          ];
          for (const [ours, reference] of pairs) {
            expect(cellByCell(viaIpc(ours))).toEqual(cellByCell(reference));
            expect(viaIpc(ours).type.toString()).toBe(reference.type.toString());
          }
        },
      ),
    );
  });
});

describe('utf8DictionaryVector', () => {
  const repeated = fc.array(fc.option(fc.constantFrom('a', 'b', 'é', ''), { nil: null }), { maxLength: 60 });

  it('reads back the cells it was given, through IPC, whatever it chose', () => {
    fc.assert(
      fc.property(fc.oneof(repeated, fc.array(text, { maxLength: 40 })), (values) => {
        const back = viaIpc(utf8DictionaryVector(values, 0));
        expect(readColumn(back)).toEqual(values);
        expect(cellByCell(back)).toEqual(values);
      }),
    );
  });

  it('is a dictionary when the text repeats, plain Utf8 when it does not', () => {
    const dict = viaIpc(utf8DictionaryVector(['x', 'y', 'x', 'x', null, 'y'], 0));
    expect(dict.type).toBeInstanceOf(Dictionary);
    expect(dict.data[0].dictionary?.length).toBe(2);
    expect(viaIpc(utf8DictionaryVector(['x', 'y', 'z'], 0)).type).toBeInstanceOf(Utf8);
    expect(viaIpc(utf8DictionaryVector([null, null], 0)).type).toBeInstanceOf(Utf8);
  });

  it('gives the same bytes for the same values', () => {
    const values = ['b', 'a', 'b', 'a', 'c', 'b'];
    const ipc = (v: Vector) => tableToIPC(new Table({ c: v }), 'stream');
    expect(ipc(utf8DictionaryVector(values, 3))).toEqual(ipc(utf8DictionaryVector([...values], 3)));
  });
});
