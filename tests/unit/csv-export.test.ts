import { csvParse, csvParseRows } from 'd3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvCell, defuseFormula, toCsv, toCsvRecords } from '../../src/export/csv';

const FORMULA = /^[=+\-@\t\r]/;

describe('csvCell / toCsv', () => {
  it('defuses formulas in text but writes typed numbers as numbers', () => {
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe('"\'=HYPERLINK(""http://x"",""y"")"');
    expect(csvCell('+1')).toBe('"\'+1"');
    expect(csvCell('-3')).toBe('"\'-3"');
    expect(csvCell('@SUM(A1)')).toBe('"\'@SUM(A1)"');
    expect(csvCell('\tcmd')).toBe('"\'\tcmd"');
    expect(csvCell('\rcmd')).toBe('"\'\rcmd"');
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell(-0)).toBe('0');
    expect(csvCell(1.5e-7)).toBe('1.5e-7');
    expect(csvCell(Number.NaN)).toBe('');
    expect(csvCell(Number.POSITIVE_INFINITY)).toBe('');
    expect(csvCell(12n)).toBe('12');
    expect(csvCell(false)).toBe('false');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(new Date(Date.UTC(2022, 0, 1, 1, 7)))).toBe('2022-01-01T01:07:00.000Z');
    expect(csvCell(new Date(Number.NaN))).toBe('');
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a "b", c\nd')).toBe('"a ""b"", c\nd"');
    expect(defuseFormula('a=b')).toBe('a=b');
  });

  it('writes RFC 4180 records with CRLF, optional BOM, and refuses ragged rows', () => {
    const text = toCsv(['area', 'calls'], [['7th Ward', 12], ['=cmd', -3]]);
    expect(text).toBe("area,calls\r\n7th Ward,12\r\n\"'=cmd\",-3\r\n");
    const bom = toCsv(['a'], [['é']], { bom: true });
    expect(bom.charCodeAt(0)).toBe(0xfeff);
    expect(new TextEncoder().encode(bom).subarray(0, 3)).toEqual(new Uint8Array([0xef, 0xbb, 0xbf]));
    expect(() => toCsv(['a', 'b'], [['x']])).toThrow(/a row has 1 values for 2 columns/);
    const records = toCsvRecords(
      [{ area: 'A', n: 3 }],
      [
        ['area', (r) => r.area],
        ['calls', (r) => r.n],
      ],
    );
    expect(csvParse(records)).toEqual(Object.assign([{ area: 'A', calls: '3' }], { columns: ['area', 'calls'] }));
  });

  it('round-trips any text through a real CSV parser to the defused value (property)', () => {
    const text = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 40 }), fc.constantFrom('=1+1', '-2', '+', '@', '\t', '\r\n', '"', "'", ',', ''));
    fc.assert(
      fc.property(fc.array(fc.array(text, { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 8 }), (rows) => {
        const csv = toCsv(['a', 'b', 'c'], rows);
        expect(csv.endsWith('\r\n')).toBe(true);
        // d3-dsv parses RFC 4180; drop the final record terminator it would read as an empty row.
        const parsed = csvParseRows(csv.slice(0, -2));
        expect(parsed.slice(1)).toEqual(rows.map((r) => r.map(defuseFormula)));
        for (const row of parsed.slice(1)) for (const cell of row) expect(FORMULA.test(cell)).toBe(false);
      }),
      { numRuns: 300, seed: 4180 },
    );
  });

  it('never prefixes typed numbers and they parse back to the same number (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })), { minLength: 1, maxLength: 20 }), (nums) => {
        const csv = toCsv(['n'], nums.map((n) => [n]));
        const parsed = csvParseRows(csv.slice(0, -2)).slice(1).map((r) => Number(r[0]));
        expect(parsed).toEqual(nums.map((n) => (Object.is(n, -0) ? 0 : n)));
      }),
      { numRuns: 200, seed: 7 },
    );
  });
});
