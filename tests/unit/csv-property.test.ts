/**
 * Hostile-input properties for the file loaders, on the real engine. load-csv.test.ts already
 * checks line numbers for comma files with quoted newlines and ragged rows; this file varies
 * everything else an export can throw at us: delimiter, encoding, line ending, quoting style,
 * 100 kB fields, embedded NULs, and arbitrary bytes.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/data/db-types';
import { isImportError } from '../../src/data/errors';
import { stageCsv } from '../../src/data/load-csv';
import { loadGtfs } from '../../src/data/load-gtfs';
import { stageParquet } from '../../src/data/load-parquet';
import { toRows } from '../../src/data/rows';
import { ident, sql } from '../../src/data/sql';
import { openTestDb } from '../engine';

type Encoding = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | 'windows-1252';
// Windows-1252 bytes for the non-ASCII characters the generator uses in that encoding.
const CP1252: Record<string, number> = { é: 0xe9, ü: 0xfc, ñ: 0xf1, '€': 0x80, '“': 0x93, '”': 0x94, ß: 0xdf };

function encode(text: string, enc: Encoding): Uint8Array {
  if (enc === 'utf-8') return new TextEncoder().encode(text);
  if (enc === 'utf-8-bom') return new TextEncoder().encode(`\uFEFF${text}`);
  if (enc === 'windows-1252') return Uint8Array.from([...text], (ch) => CP1252[ch] ?? ch.charCodeAt(0));
  const out = new Uint8Array(2 + text.length * 2);
  out.set(enc === 'utf-16le' ? [0xff, 0xfe] : [0xfe, 0xff]);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out[2 + 2 * i + (enc === 'utf-16le' ? 0 : 1)] = c & 0xff;
    out[2 + 2 * i + (enc === 'utf-16le' ? 1 : 0)] = c >> 8;
  }
  return out;
}

// ~100 kB narrative with quotes, line breaks and the file's own delimiter (thousands of them:
// the case that used to make the sniff super-linear, see below).
const huge = (delimiter: string) => `${`Lorem${delimiter} ipsum "dolor"\nsit amet `.repeat(3600)}end`;
const asciiValue = fc.oneof(
  fc.constantFrom('', 'a', 'Smith, John', 'say "hi"', 'two\nlines', 'semi;colon', 'pipe|d', 'tab\there', '  spaced  ', '=1+2', '-3'),
  fc.stringMatching(/^[A-Za-z0-9 ,;|."'\t\r\n-]{0,12}$/),
);
const wideValue = fc.oneof(asciiValue, fc.constantFrom('José', 'Zürich', 'Köln €', '“Quoted”', 'Straße', 'niño'));
const unicodeValue = fc.oneof(wideValue, fc.constantFrom('東京', 'Ελλάδα', '🚓 unit 7', 'ﬁ ligature'), fc.string({ unit: 'grapheme', maxLength: 8 }).filter((s) => !s.includes('\u0000')));

interface Rec {
  kind: 'ok' | 'short' | 'long' | 'nul' | 'blank';
  values: [string, string];
  quoteAll: boolean;
}

describe('stageCsv on hostile files (property, real DuckDB)', () => {
  let db: Db;
  beforeAll(async () => {
    db = await openTestDb();
  });
  afterAll(async () => db.close());

  it('accounts for every record and round-trips values across delimiters, encodings, endings, 100 kB fields and NULs', async () => {
    let run = 0;
    const seen = { staged: 0, refused: 0, values: 0, ragged: 0, huge: 0 };
    const file = fc
      .record({
        delimiter: fc.constantFrom(',', ';', '\t', '|'),
        encoding: fc.constantFrom<Encoding>('utf-8', 'utf-8-bom', 'utf-16le', 'utf-16be', 'windows-1252'),
        eol: fc.constantFrom('\n', '\r\n'),
        huge: fc.boolean(),
        nul: fc.constantFrom(false, false, false, true),
      })
      .chain((f) => {
        const value = f.encoding === 'windows-1252' ? wideValue : unicodeValue;
        const rec = fc.record({
          kind: f.nul ? fc.constantFrom<Rec['kind']>('ok', 'ok', 'nul') : fc.constantFrom<Rec['kind']>('ok', 'ok', 'ok', 'ok', 'short', 'long', 'blank'),
          values: fc.tuple(value, value),
          quoteAll: fc.boolean(),
        });
        return fc.record({ f: fc.constant(f), recs: fc.array(rec, { minLength: 1, maxLength: 20 }) });
      });
    await fc.assert(
      fc.asyncProperty(file, async ({ f, recs }) => {
        const { delimiter: d, eol } = f;
        const needs = (v: string) => v === '' || v !== v.trim() || v.includes('"') || v.includes(d) || /[\r\n]/.test(v);
        const field = (v: string, all: boolean) => (all || needs(v) ? `"${v.replaceAll('"', '""')}"` : v);
        // Three plain rows first, as real exports have: the sniffer needs some evidence.
        let text = ['id', 'name', 'note'].join(d) + eol + ['1', 'Ann', 'x'].join(d) + eol + ['2', 'Bo', 'y'].join(d) + eol + ['3', 'Cy', 'z'].join(d) + eol;
        const expected = new Map<string, [string, string]>([
          ['1', ['Ann', 'x']],
          ['2', ['Bo', 'y']],
          ['3', ['Cy', 'z']],
        ]);
        const bad = new Set<string>();
        const maybe = new Set<string>();
        let records = 3;
        recs.forEach((r, i) => {
          const id = `r${i}`;
          if (r.kind === 'blank') {
            text += eol;
            return;
          }
          records++;
          let values: string[] = [...r.values];
          if (f.huge && i === 0) values[1] = huge(d);
          if (r.kind === 'nul') values[0] = `nul\u0000${values[0]}`;
          if (r.kind === 'short') values = values.slice(0, 1);
          if (r.kind === 'long') values.push('extra');
          text += [id, ...values].map((v) => field(v, r.quoteAll)).join(d) + eol;
          if (r.kind === 'ok') expected.set(id, [values[0]!, values[1]!]);
          else if (r.kind === 'nul') maybe.add(id);
          else bad.add(id);
        });
        const table = `hostile_${++run}`;
        let report: Awaited<ReturnType<typeof stageCsv>>;
        try {
          report = await stageCsv(db, { name: 'hostile.csv', bytes: encode(text, f.encoding) }, { table, append: false });
        } catch (e) {
          // Refusing the whole file is allowed only with an analyst-facing error, and only for NULs.
          expect(isImportError(e), String(e)).toBe(true);
          expect(maybe.size).toBeGreaterThan(0);
          expect((e as Error).message).toMatch(/^hostile\.csv: .*(NUL|binary)/);
          seen.refused++;
          return;
        }
        expect(report.dialect?.delimiter).toBe(d);
        expect(report.columns).toEqual(['id', 'name', 'note']);
        expect(report.stagedRows + report.rejected.length).toBe(records);
        const rows = toRows(await db.query(sql`SELECT id, name, note FROM ${ident(table)} ORDER BY _source_line`));
        const staged = new Map(rows.map((r) => [String(r.id), [r.name, r.note]]));
        expect(report.stagedRows).toBe(rows.length);
        for (const [id, values] of expected) {
          // An unquoted empty field is SQL NULL; a quoted one is '' (allow_quoted_nulls=false).
          // Empty values are always quoted by `field`, so they stay '' (allow_quoted_nulls=false).
          expect(staged.get(id), `record ${id}`).toEqual(values);
        }
        for (const id of bad) expect(staged.has(id), `ragged record ${id} must be rejected`).toBe(false);
        seen.staged++;
        seen.values += expected.size;
        seen.ragged += bad.size;
        if (f.huge) seen.huge++;
        for (const id of maybe) if (staged.has(id)) expect(String(staged.get(id)![0]).startsWith("nul\u0000")).toBe(true);
        await db.query(sql`DROP TABLE ${ident(table)}`);
      }),
      { numRuns: 40, seed: 1_900_2024, endOnFailure: true },
    );
    console.info(`hostile CSV: ${seen.staged} files staged (${seen.values} records checked, ${seen.ragged} ragged, ${seen.huge} with a 100 kB field), ${seen.refused} refused for NULs`);
    expect(seen.staged).toBeGreaterThanOrEqual(25);
    expect(seen.ragged).toBeGreaterThan(20);
  }, 120_000);

  // Was a known defect: sniff_csv with store_rejects = true is super-linear in a long quoted
  // field full of delimiters (28 kB with 1,000 commas: 6–13 s here; 100 kB: ~85 s). The sniff
  // now runs with ignore_errors instead (src/data/csv-sniff.ts). Timed against the same file
  // with the commas replaced by spaces (same size, same records), measured in this test, so a
  // loaded machine slows both sides; the old behaviour was > 100× the baseline.
  it.each([
    ['28 kB', 1000],
    ['100 kB', 3600],
  ])('stages a file with one %s quoted field full of commas about as fast as without the commas', async (label, repeats) => {
    const file = (sep: string) => {
      const body = `Lorem ipsum${sep} dolor sit amet `.repeat(repeats);
      return new TextEncoder().encode(`id,name,note\n1,Ann,x\n2,Bo,y\n3,Cy,z\nr0,a,"${body}"\n`);
    };
    const plain = file(' ');
    const commas = file(',');
    expect(commas.length).toBe(plain.length);
    const timed = async (bytes: Uint8Array) => {
      const t0 = performance.now();
      const r = await stageCsv(db, { name: 'narrative.csv', bytes }, { table: 'narrative', append: false });
      const ms = performance.now() - t0;
      expect(r.stagedRows).toBe(4);
      expect(r.rejected).toEqual([]);
      const [row] = toRows(await db.query(sql`SELECT note FROM narrative WHERE id = 'r0'`));
      expect(String(row?.note).split(',').length).toBe(bytes === commas ? repeats + 1 : 1);
      return ms;
    };
    await timed(plain); // warm-up: the first sniff of a fresh engine pays one-off costs
    const baselineMs = await timed(plain);
    const commasMs = await timed(commas);
    console.info(`narrative ${label}: ${commasMs.toFixed(0)} ms with ${repeats} commas, ${baselineMs.toFixed(0)} ms without`);
    expect(commasMs).toBeLessThanOrEqual(5 * baselineMs + 2000);
  }, 120_000);

  it('never fails with anything but an analyst-facing ImportError on arbitrary bytes (fuzz)', async () => {
    let run = 0;
    const bytes = fc.oneof(
      fc.uint8Array({ minLength: 0, maxLength: 400 }),
      fc.uint8Array({ maxLength: 200 }).map((b) => Uint8Array.from([0x50, 0x4b, 0x03, 0x04, ...b])), // ZIP signature
      fc.string({ unit: 'binary', maxLength: 300 }).map((s) => new TextEncoder().encode(s)),
    );
    await fc.assert(
      fc.asyncProperty(bytes, async (b) => {
        const table = `fuzz_${++run}`;
        try {
          const r = await stageCsv(db, { name: 'fuzz.csv', bytes: b }, { table, append: false });
          expect(r.stagedRows + r.rejected.length).toBe(r.inputRows);
          const n = toRows(await db.query(sql`SELECT count(*) AS n FROM ${ident(table)}`))[0]!.n;
          expect(n).toBe(r.stagedRows);
          await db.query(sql`DROP TABLE ${ident(table)}`);
        } catch (e) {
          expect(isImportError(e), `not an ImportError: ${String(e)}`).toBe(true);
          expect((e as Error).message.startsWith('fuzz.csv: ')).toBe(true);
          if (b.length === 0) expect((e as Error).message).toMatch(/empty \(0 bytes\)/);
          if (b[0] === 0x50 && b[1] === 0x4b && b[2] === 3 && b[3] === 4) expect((e as Error).message).toMatch(/ZIP|Excel|OpenDocument/);
        }
      }),
      { numRuns: 150, seed: 42 },
    );
  }, 120_000);

  it('refuses a Parquet file with a wrong marker, and a GTFS stops.txt without stop_lat, saying what to do', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 12, maxLength: 200 }), async (body) => {
        const bytes = Uint8Array.from([0x50, 0x41, 0x52, 0x32, ...body, 0x50, 0x41, 0x52, 0x31]); // "PAR2…PAR1"
        const e = await stageParquet(db, { name: 'calls.parquet', bytes }, { table: 'pq', append: false }).then(
          () => null,
          (err: unknown) => err,
        );
        expect(isImportError(e)).toBe(true);
        expect((e as Error).message).toMatch(/^calls\.parquet: is not a Parquet file .*"PAR1".* Check that you picked the right file/);
      }),
      { numRuns: 20, seed: 3 },
    );
    const stops = new TextEncoder().encode('stop_id,stop_name,stop_lon\n1,Canal at Carondelet,-90.07\n');
    expect(() => loadGtfs([{ name: 'stops.txt', bytes: stops }])).toThrow(/^stops\.txt: is missing the required column `stop_lat` \(found: stop_id, stop_name, stop_lon\)\. Check that this is the GTFS file/);
  });
});
