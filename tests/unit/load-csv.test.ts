import { readFileSync } from 'node:fs';
import path from 'node:path';
import { randomLcg } from 'd3';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CsvRecordScanner } from '../../src/data/csv-scan';
import type { Db } from '../../src/data/db-types';
import { isImportError } from '../../src/data/errors';
import { csvColumns, sameSchema, stageCsv } from '../../src/data/load-csv';
import { scalar, toRows } from '../../src/data/rows';
import { ident, sql } from '../../src/data/sql';
import { newOrleansDir, openTestDb, skipReason } from '../engine';

const utf8 = (s: string) => new TextEncoder().encode(s);

async function rows(db: Db, table: string) {
  return toRows(await db.query(sql`SELECT * FROM ${ident(table)} ORDER BY _source_line`));
}

async function expectImportError(p: Promise<unknown>, pattern: RegExp) {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(isImportError(e), `expected an ImportError, got ${String(e)}`).toBe(true);
  expect((e as Error).message).toMatch(pattern);
  return e as Error;
}

async function tableExists(db: Db, table: string) {
  return scalar(await db.query(sql`SELECT count(*) FROM duckdb_tables() WHERE table_name = ${table}`)) > 0;
}

describe('stageCsv', () => {
  let db: Db;
  beforeAll(async () => {
    db = await openTestDb();
  });
  afterAll(async () => db.close());

  it('accounts for every record: staged + rejected, with physical lines through quoted newlines and blank lines', async () => {
    // Physical lines written out by hand: 1 header, 2 ok, 3 blank, 4–5 quoted newline, 6 short,
    // 7 long, 8 blank, 9 ok, 10 short (one value), 11 ok with "" escape, 12 empty quoted + NULLs.
    const text = 'a,b,c\n1,2,3\n\n4,"x\ny",6\n7,8\n9,10,11,12\n\n13,14,15\nlonely\n16,"q""r",17\n"",,\n';
    const r = await stageCsv(db, { name: 'messy.csv', bytes: utf8(text) }, { table: 'messy', append: false });
    expect(r.stagedRows).toBe(5);
    expect(r.rejected.map((x) => x.line)).toEqual([6, 7, 10]);
    expect(r.rejected.map((x) => x.raw)).toEqual(['7,8', '9,10,11,12', 'lonely']);
    expect(r.rejected[0]!.reason).toMatch(/too few values.*3 columns.*has 2/);
    expect(r.rejected[1]!.reason).toMatch(/too many values.*has 4/);
    expect(r.inputRows).toBe(r.stagedRows + r.rejected.length);
    expect(r.warnings.join(' ')).toMatch(/2 blank line\(s\) skipped \(line 3, 8\)/);
    const got = await rows(db, 'messy');
    expect(got.map((x) => x._source_line)).toEqual([2, 4, 9, 11, 12]);
    expect(got.map((x) => [x.a, x.b, x.c])).toEqual([
      ['1', '2', '3'],
      ['4', 'x\ny', '6'],
      ['13', '14', '15'],
      ['16', 'q"r', '17'],
      ['', null, null],
    ]);
    expect(got.every((x) => x._source_file === 'messy.csv')).toBe(true);
  });

  it('gives the same rows and lines for LF, CRLF, CR-only, BOM and no final newline', async () => {
    const lines = ['id,name,note', '1,Ann,"multi', 'line"', '2,Bo,plain', '3,Cy,"say ""hi"""'];
    const variants: Record<string, Uint8Array> = {
      lf: utf8(`${lines.join('\n')}\n`),
      crlf: utf8(`${lines.join('\r\n')}\r\n`),
      cr: utf8(`${lines.join('\r')}\r`),
      noFinal: utf8(lines.join('\n')),
      bom: new Uint8Array([0xef, 0xbb, 0xbf, ...utf8(`${lines.join('\n')}\n`)]),
    };
    for (const [k, bytes] of Object.entries(variants)) {
      const r = await stageCsv(db, { name: `${k}.csv`, bytes }, { table: `le_${k}`, append: false });
      expect(r.rejected, k).toEqual([]);
      expect(r.stagedRows, k).toBe(3);
      const got = await rows(db, `le_${k}`);
      const eol = k === 'crlf' ? '\r\n' : k === 'cr' ? '\r' : '\n';
      expect(got.map((x) => x.note)).toEqual([`multi${eol}line`, 'plain', 'say "hi"']);
      expect(got.map((x) => x._source_line), k).toEqual([2, 4, 5]);
      if (k === 'bom') expect(r.warnings.join(' ')).toMatch(/byte-order mark removed/);
    }
  });

  it('matches an independent oracle on random files with quoted newlines, ragged rows and blank lines (property)', async () => {
    const value = fc.oneof(
      fc.constantFrom('', 'a', 'Smith, John', 'say "hi"', 'two\nlines', 'cr\r\nlf', '  spaced  ', 'é ü 東'),
      fc.stringMatching(/^[a-z0-9 ]{0,8}$/),
    );
    const record = fc.record({ kind: fc.constantFrom('ok', 'ok', 'ok', 'short', 'long', 'blank'), values: fc.array(value, { minLength: 2, maxLength: 2 }) });
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(record, { minLength: 1, maxLength: 25 }), fc.constantFrom('\n', '\r\n'), async (recs, eol) => {
        const quote = (v: string) => (/[",\r\n]/.test(v) || v === '' || v !== v.trim() ? `"${v.replaceAll('"', '""')}"` : v);
        // Real exports are mostly good rows: lead with three so the sniffer sees the dialect
        // (with only ragged rows DuckDB may, reasonably, pick another one).
        let text = `id,name,note${eol}1,"Smith, John",x${eol}2,plain,"a ""b"""${eol}3,c,d${eol}`;
        let line = 5;
        const ok: { line: number; values: string[] }[] = [
          { line: 2, values: ['1', 'Smith, John', 'x'] },
          { line: 3, values: ['2', 'plain', 'a "b"'] },
          { line: 4, values: ['3', 'c', 'd'] },
        ];
        const bad: number[] = [];
        recs.forEach((rec, i) => {
          const id = String(1000 + i);
          const fields = rec.kind === 'short' ? [id, quote(rec.values[0]!)] : [id, ...rec.values.map(quote)];
          if (rec.kind === 'long') fields.push('extra');
          if (rec.kind === 'blank') {
            text += eol;
            line += 1;
            return;
          }
          const rendered = fields.join(',');
          if (rec.kind === 'ok') ok.push({ line, values: [id, ...rec.values] });
          else bad.push(line);
          text += rendered + eol;
          line += 1 + (rendered.match(/\r\n|\r|\n/g)?.length ?? 0);
        });
        const table = `prop_${++run}`;
        const r = await stageCsv(db, { name: 'p.csv', bytes: utf8(text) }, { table, append: false });
        expect(r.rejected.map((x) => x.line)).toEqual(bad);
        expect(r.stagedRows).toBe(ok.length);
        expect(r.inputRows).toBe(ok.length + bad.length);
        const got = await rows(db, table);
        expect(got.map((x) => Number(x._source_line))).toEqual(ok.map((o) => o.line));
        // Quoted empty strings stay '' (allow_quoted_nulls=false): the oracle quotes every ''.
        expect(got.map((x) => [x.id, x.name, x.note])).toEqual(ok.map((o) => o.values));
        await db.query(sql`DROP TABLE ${ident(table)}`);
      }),
      { numRuns: 25, seed: 20240611 },
    );
  });

  it('treats blank lines in a single-column file as empty values, and says so in the counts', async () => {
    const r = await stageCsv(db, { name: 'ids.csv', bytes: utf8('call_id\nA1\n\nA2\n') }, { table: 'single', append: false });
    expect(r.stagedRows).toBe(3);
    expect(r.inputRows).toBe(3);
    const got = await rows(db, 'single');
    expect(got.map((x) => [x.call_id, x._source_line])).toEqual([
      ['A1', 2],
      [null, 3],
      ['A2', 4],
    ]);
  });

  it('renames blank and duplicate header names and reports it', async () => {
    const r = await stageCsv(db, { name: 'dups.csv', bytes: utf8('Type,,Type,type\n1,2,3,4\n') }, { table: 'dups', append: false });
    expect(r.columns).toHaveLength(4);
    expect(new Set(r.columns.map((c) => c.toLowerCase())).size).toBe(4);
    expect(r.columns[0]).toBe('Type');
    expect(r.warnings.filter((w) => /Header column/.test(w))).toHaveLength(3);
    expect(await csvColumns(db, 'dups')).toEqual(r.columns);
  });

  it('decodes UTF-16 LE/BE (BOM) and Windows-1252 with a warning, never silently', async () => {
    const text = 'name,city\nJosé,Zürich\n“Quoted”,Köln €\n';
    const le = new Uint8Array(2 + text.length * 2);
    le.set([0xff, 0xfe]);
    const be = new Uint8Array(2 + text.length * 2);
    be.set([0xfe, 0xff]);
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      le[2 + 2 * i] = c & 0xff;
      le[3 + 2 * i] = c >> 8;
      be[2 + 2 * i] = c >> 8;
      be[3 + 2 * i] = c & 0xff;
    }
    // Windows-1252 by hand: é=E9 ü=FC “=93 ”=94 ö=F6 €=80
    const cp: Record<string, number> = { é: 0xe9, ü: 0xfc, '“': 0x93, '”': 0x94, ö: 0xf6, '€': 0x80 };
    const w1252 = new Uint8Array([...text].map((ch) => cp[ch] ?? ch.charCodeAt(0)));
    for (const [name, bytes, encoding] of [
      ['le.csv', le, 'utf-16le'],
      ['be.csv', be, 'utf-16be'],
      ['w.csv', w1252, 'windows-1252'],
    ] as const) {
      const r = await stageCsv(db, { name, bytes }, { table: 'enc', append: false });
      expect(r.encoding).toBe(encoding);
      expect(r.warnings.join(' ')).toMatch(encoding === 'windows-1252' ? /decoded as Windows-1252/ : /Decoded from UTF-16/);
      const got = await rows(db, 'enc');
      expect(got.map((x) => [x.name, x.city])).toEqual([
        ['José', 'Zürich'],
        ['“Quoted”', 'Köln €'],
      ]);
    }
  });

  it('keeps a UTF-8 file UTF-8 when only a few bytes are corrupt, and rejects just those records', async () => {
    const bytes = new Uint8Array([...utf8('name,n\nJosé,1\nbad'), 0xff, ...utf8(',2\nZoë,3\n')]);
    const r = await stageCsv(db, { name: 'mostly.csv', bytes }, { table: 'mostly', append: false });
    expect(r.encoding).toBe('utf-8');
    expect(r.rejected.map((x) => [x.line, x.reason])).toEqual([[3, expect.stringMatching(/not valid UTF-8/)]]);
    expect((await rows(db, 'mostly')).map((x) => [x.name, x._source_line])).toEqual([
      ['José', 2],
      ['Zoë', 4],
    ]);
  });

  it('refuses non-CSV files with a clear error naming the file, the problem and the next step', async () => {
    const rand = randomLcg(42);
    const garbage = Uint8Array.from({ length: 4096 }, () => Math.floor(rand() * 256));
    const cases: [string, Uint8Array, RegExp][] = [
      ['empty.csv', new Uint8Array(0), /empty.csv: The file is empty \(0 bytes\)/],
      ['calls.csv.gz', new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0]), /gzip.*Decompress/],
      ['archive.csv', utf8('PK\u0003\u0004\u0014\u0000\u0000\u0000\u0000\u0000readme.txt'), /ZIP archive.*Unzip/],
      ['book.csv', utf8('PK\u0003\u0004\u0014\u0000\u0006\u0000[Content_Types].xml xl/workbook.xml'), /Excel workbook.*CSV UTF-8/],
      ['old.csv', new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]), /old Excel/],
      ['table.csv', utf8('PAR1\u0015\u0004'), /Parquet file.*\.parquet/],
      ['report.csv', utf8('%PDF-1.7\n%âãÏÓ'), /PDF document/],
      ['noise.csv', garbage, /binary data/],
      ['data.csv', utf8('{"type":"FeatureCollection","features":[]}'), /JSON/],
      ['page.csv', utf8('<!DOCTYPE html><html><body>Session expired</body></html>'), /HTML or XML/],
      ['bom-only.csv', new Uint8Array([0xef, 0xbb, 0xbf]), /only a byte-order mark/],
    ];
    for (const [name, bytes, pattern] of cases) {
      const e = await expectImportError(stageCsv(db, { name, bytes }, { table: 'nope', append: false }), pattern);
      expect(e.message.startsWith(`${name}: `)).toBe(true);
    }
    expect(await tableExists(db, 'nope')).toBe(false);
  });

  it('loads a header-only file as 0 rows and says so', async () => {
    const r = await stageCsv(db, { name: 'head.csv', bytes: utf8('item_number,Type,TimeCreate\n') }, { table: 'head', append: false });
    expect([r.inputRows, r.stagedRows, r.rejected.length]).toEqual([0, 0, 0]);
    expect(r.columns).toEqual(['item_number', 'Type', 'TimeCreate']);
    expect(r.warnings.join(' ')).toMatch(/header but no data rows: 0 rows loaded/);
    expect(await csvColumns(db, 'head')).toEqual(['item_number', 'Type', 'TimeCreate']);
  });

  it('appends monthly files of one schema (columns in any order) and refuses a different header', async () => {
    const jan = utf8('id,type,time\n1,20,1/1/2022 1:07\n2,21,1/2/2022 3:00\n');
    const feb = utf8('type,id,time\n34S,3,2/1/2022 0:10\n');
    const other = utf8('id,kind,time\n4,x,3/1/2022 0:00\n');
    await stageCsv(db, { name: 'jan.csv', bytes: jan }, { table: 'months', append: true });
    await stageCsv(db, { name: 'feb.csv', bytes: feb }, { table: 'months', append: true });
    const got = toRows(await db.query('SELECT id, type, _source_file, _source_line FROM months ORDER BY id'));
    expect(got).toEqual([
      { id: '1', type: '20', _source_file: 'jan.csv', _source_line: 2 },
      { id: '2', type: '21', _source_file: 'jan.csv', _source_line: 3 },
      { id: '3', type: '34S', _source_file: 'feb.csv', _source_line: 2 },
    ]);
    await expectImportError(stageCsv(db, { name: 'mar.csv', bytes: other }, { table: 'months', append: true }), /missing: `type`; new: `kind`/);
    expect(scalar(await db.query('SELECT count(*) FROM months'))).toBe(3);
    expect(sameSchema(['a', 'b'], ['b', 'a'])).toBe(true);
    expect(sameSchema(['a', 'b'], ['a', 'B'])).toBe(false);
    expect(sameSchema(['a', 'b'], ['a', 'b', 'c'])).toBe(false);
    expect(sameSchema(['a', 'a'], ['a', 'b'])).toBe(false);
  });

  it('cancels cleanly: before the start, and in the middle of a large file, leaving nothing written', async () => {
    const before = new AbortController();
    before.abort();
    await expectImportError(stageCsv(db, { name: 'x.csv', bytes: utf8('a,b\n1,2\n') }, { table: 'cancel1', append: false, signal: before.signal }), /cancelled/);
    expect(await tableExists(db, 'cancel1')).toBe(false);

    await stageCsv(db, { name: 'base.csv', bytes: utf8('a,b\n1,2\n') }, { table: 'cancel2', append: true });
    const big = utf8(`a,b\n${'123456,abcdefghij\n'.repeat(1_200_000)}`); // ~22 MB: several scan slices
    const ctl = new AbortController();
    const seen: number[] = [];
    await expectImportError(
      stageCsv(db, { name: 'big.csv', bytes: big }, {
        table: 'cancel2',
        append: true,
        signal: ctl.signal,
        onProgress: (p) => {
          seen.push(p.bytesRead);
          ctl.abort();
        },
      }),
      /big.csv: Import cancelled/,
    );
    expect(seen.length).toBeGreaterThan(0);
    expect(scalar(await db.query('SELECT count(*) FROM cancel2'))).toBe(1);
    const leftovers = scalar(await db.query(`SELECT count(*) FROM duckdb_tables() WHERE table_name LIKE '\\_callsight%' ESCAPE '\\'`));
    expect(leftovers).toBe(0);
  });

  it('reports progress up to the full size', async () => {
    const big = utf8(`a,b\n${'123456,abcdefghij\n'.repeat(500_000)}`); // 9 MB: two scan slices
    const seen: { bytesRead: number; bytesTotal: number; rows: number }[] = [];
    const r = await stageCsv(db, { name: 'prog.csv', bytes: big }, { table: 'prog', append: false, onProgress: (p) => seen.push(p) });
    expect(r.stagedRows).toBe(500_000);
    expect(seen.length).toBeGreaterThan(1);
    expect(seen.at(-1)).toEqual({ bytesRead: big.length, bytesTotal: big.length, rows: 500_000 });
    for (let i = 1; i < seen.length; i++) expect(seen[i]!.bytesRead).toBeGreaterThanOrEqual(seen[i - 1]!.bytesRead);
  });
});

describe('record scanner cost stays linear', () => {
  it('scans 10× the bytes in well under 30× the time', () => {
    const row = '"A0011722","20","AUTO ACCIDENT","2A","1/1/2022 1:07","multi\nline note, with comma",-90.07,29.95\n';
    const time = (copies: number) => {
      const bytes = utf8(`h1,h2,h3,h4,h5,h6,h7,h8\n${row.repeat(copies)}`);
      const dialect = { delimiter: utf8(','), quote: 34, escape: 34, comment: -1, header: true, skipRows: 0 };
      const t0 = performance.now();
      const r = new CsvRecordScanner(bytes, dialect).result();
      expect(r.records).toBe(copies);
      expect(r.recordStartLine[copies - 1]).toBe(2 + 2 * (copies - 1));
      return performance.now() - t0;
    };
    time(20_000); // warm-up for the JIT
    const small = Math.min(time(50_000), time(50_000));
    const large = time(500_000); // ~50 MB
    console.info(`scanner: ${((row.length * 500_000) / 1e6).toFixed(0)} MB in ${large.toFixed(0)} ms (5 MB: ${small.toFixed(0)} ms)`);
    expect(large / small).toBeLessThan(30);
  });
});

const nola = newOrleansDir();
describe.skipIf(!nola)(`New Orleans data ${skipReason('New Orleans data pack', nola) ?? ''}`, () => {
  let db: Db;
  beforeAll(async () => {
    db = await openTestDb();
  });
  afterAll(async () => db.close());

  it.each([
    ['nopd_cfs_2022_rtcc_subset.csv', 7476, 23],
    ['nopd_cfs_2022_coordinates_to_2022-03-21.csv', 79763, 2],
  ])('stages %s exactly: %i rows, %i columns, 0 rejects, lines 2…N+1', async (file, n, cols) => {
    const bytes = readFileSync(path.join(nola!, file));
    const r = await stageCsv(db, { name: file, bytes }, { table: 'nola', append: false });
    expect([r.inputRows, r.stagedRows, r.rejected.length, r.columns.length]).toEqual([n, n, 0, cols]);
    expect(r.encoding).toBe('utf-8');
    const stats = toRows(
      await db.query('SELECT count(*) AS n, count(DISTINCT _source_line) AS d, min(_source_line) AS lo, max(_source_line) AS hi FROM nola'),
    )[0]!;
    // The README says LF endings; count the file's newlines independently of the scanner.
    const newlines = bytes.reduce((k, b) => k + (b === 0x0a ? 1 : 0), 0);
    expect(stats).toEqual({ n, d: n, lo: 2, hi: newlines });
  });

  it('keeps the NOPD header names exactly', async () => {
    const file = 'nopd_cfs_2022_rtcc_subset.csv';
    const r = await stageCsv(db, { name: file, bytes: readFileSync(path.join(nola!, file)) }, { table: 'nopd', append: false });
    expect(r.columns).toContain('Upon Researching the above item :');
    expect(r.columns.slice(0, 3)).toEqual(['item_number', 'Signal Code', 'Upon Researching the above item :']);
    const first = toRows(await db.query('SELECT item_number, _source_line FROM nopd ORDER BY _source_line LIMIT 1'))[0]!;
    expect(first._source_line).toBe(2);
    const firstLine = readFileSync(path.join(nola!, file), 'utf8').split('\n')[1]!;
    expect(firstLine.startsWith(String(first.item_number))).toBe(true);
  });
});
