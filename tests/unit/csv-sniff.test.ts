/**
 * Where the dialect sniff cuts its sample, and why it matters: a sample that ends inside a
 * quoted multi-line narrative made DuckDB's sniffer decide the file had no quoting at all.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sniffCut, sniffDialect } from '../../src/data/csv-sniff';
import type { Db } from '../../src/data/db-types';
import { stageCsv } from '../../src/data/load-csv';
import { toRows } from '../../src/data/rows';
import { openTestDb } from '../engine';

const enc = (s: string) => new TextEncoder().encode(s);

/** Last line break at or before `limit`: the cut the loader used before it knew about quotes. */
function lineCut(bytes: Uint8Array, limit: number): number {
  let cut = limit;
  while (cut > 0 && bytes[cut - 1] !== 0x0a && bytes[cut - 1] !== 0x0d) cut--;
  return cut;
}

describe('sniffCut', () => {
  it('keeps a file under the limit whole', () => {
    const b = enc('a,b\n1,"x\ny"\n');
    expect(sniffCut(b, 1000)).toBe(b.length);
  });

  it('cuts after a whole record, never inside a quoted field with line breaks', () => {
    const rec = '7,"first line\nsecond ""quoted"" line\nthird",z\n';
    const text = `id,note,other\n${rec.repeat(50)}`;
    const b = enc(text);
    for (const limit of [100, 333, 777, 1500]) {
      const cut = sniffCut(b, limit);
      expect(cut).toBeLessThanOrEqual(limit);
      const head = text.slice(0, cut);
      // Whole records only: the header plus k copies of the record.
      expect((head.length - 'id,note,other\n'.length) % rec.length, `limit ${limit}`).toBe(0);
      expect(head.length).toBeGreaterThan(limit - rec.length);
    }
    // The plain line cut would have split a record for at least one of these limits.
    expect([100, 333, 777, 1500].some((l) => lineCut(b, l) !== sniffCut(b, l))).toBe(true);
  });

  it('treats CRLF and lone CR as line breaks', () => {
    const crlf = enc(`a,b\r\n${'1,"x\r\ny"\r\n'.repeat(20)}`);
    const cut = sniffCut(crlf, 60);
    expect(crlf[cut - 1]).toBe(0x0a);
    expect(new TextDecoder().decode(crlf.subarray(0, cut)).split('"').length % 2).toBe(1);
    const cr = enc(`a,b\r${'1,2\r'.repeat(30)}`);
    expect(cr[sniffCut(cr, 50) - 1]).toBe(0x0d);
  });

  it('falls back to the last line break when stray quotes break the parity', () => {
    // One bare inch mark early on: every later break has odd parity.
    const text = `item,size\npipe,12" long\n${'bolt,3 cm\n'.repeat(200)}`;
    const b = enc(text);
    expect(sniffCut(b, 1000)).toBe(lineCut(b, 1000));
  });
});

describe('sniffDialect and stageCsv on a file larger than the sniff sample', () => {
  let db: Db;
  beforeAll(async () => {
    db = await openTestDb();
  });
  afterAll(async () => db.close());

  it('finds the quote when the 4 MB sample boundary falls inside a multi-line narrative', async () => {
    const note = 'Officer notes; caller says ""hello"", see\nnext line '.repeat(40);
    const lines = ['id;received;note'];
    let bytes = 0;
    let n = 0;
    while (bytes < 4.5e6) {
      const line = `${n};2024-01-01 10:00;"${note}"`;
      lines.push(line);
      bytes += line.length + 1;
      n++;
    }
    const b = enc(`${lines.join('\n')}\n`);
    // Precondition: the old cut lands inside a quoted field (that is what misled the sniffer).
    const limit = 4 << 20;
    expect(lineCut(b, limit)).toBeGreaterThan(sniffCut(b, limit));
    const d = await sniffDialect(db, b);
    expect([d.delimiter, d.quote, d.header, d.columns]).toEqual([';', '"', true, ['id', 'received', 'note']]);
    const r = await stageCsv(db, { name: 'narratives.csv', bytes: b }, { table: 'narratives', append: false });
    expect([r.stagedRows, r.rejected.length]).toEqual([n, 0]);
    const [last] = toRows(await db.query(`SELECT id, note, _source_line FROM narratives WHERE id = '${n - 1}'`));
    expect(last?.note).toBe(note.replaceAll('""', '"'));
    // 40 line breaks per note: record k starts on physical line 2 + 41k.
    expect(Number(last?._source_line)).toBe(2 + 41 * (n - 1));
  }, 60_000);
});
