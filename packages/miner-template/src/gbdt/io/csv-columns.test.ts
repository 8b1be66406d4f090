import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvColumnsBuilder } from './csv-columns.js';
import { parseCell } from './table-reader.js';

/** The text's UTF-8 bytes fed in pieces cut at the given byte offsets (a character may be cut). */
function parseInPieces(text: string, cuts: number[]) {
  const builder = new CsvColumnsBuilder(parseCell, 'test.csv');
  const bytes = Buffer.from(text);
  let at = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    const end = Math.max(at, Math.min(cut, bytes.length));
    builder.pushBytes(bytes.subarray(at, end));
    at = end;
  }
  builder.pushBytes(bytes.subarray(at));
  return builder.finish();
}

/** The reference: the whole text as one string, every cell through parseCell. */
function parseAsText(text: string) {
  const builder = new CsvColumnsBuilder(parseCell, 'test.csv');
  builder.push(text);
  return builder.finish();
}

const cell = fc.oneof(
  fc.integer({ min: -1000, max: 1000 }).map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
  fc.double({ min: -1, max: 1, noNaN: true }).map(String),
  fc
    .tuple(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer({ min: 1, max: 17 }))
    .map(([x, p]) => x.toPrecision(p)),
  fc.constantFrom(
    ' 1.5',
    '1.5 ',
    '-0',
    '.5',
    '5.',
    '1e23',
    '9007199254740993',
    '0x1F',
    '1e',
    '+.e1',
    'café',
    '"é,1"',
  ),
  fc.constantFrom('', 'nan', 'NA', 'true', 'x y', '"1.5"', '"a,b"', '"say ""hi"""', '"line\nbreak"'),
);

/** A width and rows of that many cells. */
const rowsOfWidth = (width: number, maxRows: number) =>
  fc.tuple(
    fc.constant(width),
    fc.array(fc.array(cell, { minLength: width, maxLength: width }), { maxLength: maxRows }),
  );

describe('CsvColumnsBuilder', () => {
  it("gives parseCell's table however the bytes are cut into pieces (CRLF, quotes, BOM, UTF-8)", () => {
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
          const whole = parseAsText(text);
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
          const whole = parseAsText(text);
          const builder = new CsvColumnsBuilder(parseCell, 'test.csv');
          const taken: number[][] = Array.from({ length: width }, () => []);
          const take = (t: { columns: Float64Array[] }) =>
            t.columns.forEach((c, i) => {
              taken[i]?.push(...c);
            });
          const bytes = Buffer.from(text);
          let at = 0;
          for (const cut of [...cuts, bytes.length].sort((a, b) => a - b)) {
            const end = Math.max(at, Math.min(cut, bytes.length));
            builder.pushBytes(bytes.subarray(at, end));
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

  it('gives the same table whatever size it is told to expect (columns sized once, a record cut by a piece)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }).chain((width) =>
          fc.tuple(
            fc.constant(width),
            fc.array(fc.array(cell, { minLength: width, maxLength: width }), {
              minLength: 64,
              maxLength: 300,
            }),
          ),
        ),
        fc.array(fc.nat(8_000), { minLength: 4, maxLength: 40 }),
        // up to 40 times too large: past the first 1,024 rows' capacity, so the columns are resized
        fc.double({ min: 0.01, max: 40, noNaN: true }),
        ([width, rows], cuts, scale) => {
          const header = Array.from({ length: width }, (_, i) => `c${i}`).join(',');
          const text = `${header}\n${rows.map((r) => r.join(',')).join('\n')}\n`;
          const whole = parseAsText(text);
          const bytes = Buffer.from(text);
          const builder = new CsvColumnsBuilder(parseCell, 'test.csv', Math.round(bytes.length * scale));
          let at = 0;
          for (const cut of [...cuts, bytes.length].sort((a, b) => a - b)) {
            const end = Math.max(at, Math.min(cut, bytes.length));
            builder.pushBytes(bytes.subarray(at, end));
            at = end;
          }
          const t = builder.finish();
          expect(t.numRows).toBe(whole.numRows);
          expect(t.columns.map((c) => Array.from(c))).toEqual(whole.columns.map((c) => Array.from(c)));
        },
      ),
      { numRuns: 60 },
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
