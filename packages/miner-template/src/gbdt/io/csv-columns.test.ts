import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvColumnsBuilder } from './csv-columns.js';
import { parseCell } from './table-reader.js';

function parseInPieces(text: string, cuts: number[]) {
  const builder = new CsvColumnsBuilder(parseCell, 'test.csv');
  let at = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    builder.push(text.slice(at, Math.max(at, Math.min(cut, text.length))));
    at = Math.max(at, Math.min(cut, text.length));
  }
  builder.push(text.slice(at));
  return builder.finish();
}

const cell = fc.oneof(
  fc.integer({ min: -1000, max: 1000 }).map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
  fc.constantFrom('', 'nan', 'NA', 'true', 'x y', '"1.5"', '"a,b"', '"say ""hi"""', '"line\nbreak"'),
);

/** A width and rows of that many cells. */
const rowsOfWidth = (width: number, maxRows: number) =>
  fc.tuple(
    fc.constant(width),
    fc.array(fc.array(cell, { minLength: width, maxLength: width }), { maxLength: maxRows }),
  );

describe('CsvColumnsBuilder', () => {
  it('gives the same table however the text is cut into pieces (CRLF, quotes and BOM included)', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 4 })
          .chain((width) =>
            fc.tuple(
              fc.constant(width),
              fc.array(fc.array(cell, { minLength: width, maxLength: width }), { maxLength: 8 }),
              fc.constantFrom('\n', '\r\n'),
              fc.boolean(),
              fc.array(fc.nat(400), { maxLength: 6 }),
            ),
          ),
        ([width, rows, eol, bom, cuts]) => {
          const header = Array.from({ length: width }, (_, i) => `c${i}`).join(',');
          const text = `${bom ? '\uFEFF' : ''}${header}${eol}${rows.map((r) => r.join(',')).join(eol)}${eol}${eol}`;
          const whole = parseInPieces(text, []);
          const pieces = parseInPieces(text, cuts);
          expect(pieces.columnNames).toEqual(whole.columnNames);
          expect(pieces.numRows).toBe(whole.numRows);
          expect(pieces.columns.map((c) => Array.from(c))).toEqual(whole.columns.map((c) => Array.from(c)));
          expect([...pieces.nonNumeric]).toEqual([...whole.nonNumeric]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('hands out the same rows when they are taken in chunks while parsing (rows cut across pieces included)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }).chain((width) => rowsOfWidth(width, 12)),
        fc.array(fc.nat(400), { maxLength: 12 }),
        fc.integer({ min: 1, max: 4 }),
        ([width, rows], cuts, every) => {
          const header = Array.from({ length: width }, (_, i) => `c${i}`).join(',');
          const text = `${header}\n${rows.map((r) => r.join(',')).join('\n')}\n`;
          const whole = parseInPieces(text, []);
          const builder = new CsvColumnsBuilder(parseCell, 'test.csv');
          const taken: number[][] = Array.from({ length: width }, () => []);
          const take = (t: { columns: Float64Array[] }) =>
            t.columns.forEach((c, i) => {
              taken[i]?.push(...c);
            });
          let at = 0;
          for (const cut of [...cuts, text.length].sort((a, b) => a - b)) {
            const end = Math.max(at, Math.min(cut, text.length));
            builder.push(text.slice(at, end));
            at = end;
            if (builder.pendingRows >= every) take(builder.takeRows());
          }
          const rest = builder.finish();
          take(rest);
          expect(taken).toEqual(whole.columns.map((c) => Array.from(c)));
          expect([...rest.nonNumeric]).toEqual([...whole.nonNumeric]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('reads quoted cells, escaped quotes and a last line without a line end', () => {
    const t = parseInPieces('a,"b"\r\n"1.5",2\r\n\r\n"x""y",3', [3, 9, 10, 17]);
    expect(t.columnNames).toEqual(['a', 'b']);
    expect(t.numRows).toBe(2);
    expect(Array.from(t.columns[0] as Float64Array)).toEqual([1.5, Number.NaN]);
    expect(Array.from(t.columns[1] as Float64Array)).toEqual([2, 3]);
    expect(t.nonNumeric.get('a')).toBe('row 3: "x"y"');
  });

  it('names the row with a wrong field count', () => {
    expect(() => parseInPieces('a,b\n1,2\n3\n', [5])).toThrow(/row 3: expected 2 fields, got 1/);
  });
});
