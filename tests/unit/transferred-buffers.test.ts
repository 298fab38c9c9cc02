/**
 * The browser's Db transfers every registered buffer to the DuckDB worker (duckdb-wasm
 * registerFileBuffer), detaching the caller's array; the Node Db copies. This wraps the real
 * Node engine so registerFile detaches like the browser, and stages CSVs through it: the
 * 100k-row demo-city export (no quote anywhere in its sniff sample) failed in the app with
 * "Cannot perform %TypedArray%.prototype.includes on a detached ArrayBuffer" and Node tests
 * could not see it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/data/db-types';
import { stageCsv } from '../../src/data/load-csv';
import { scalar } from '../../src/data/rows';
import { openTestDb } from '../engine';

function detachingDb(db: Db): Db {
  return {
    ...db,
    registerFile: async (name, bytes) => {
      const copy = bytes.slice();
      // structuredClone with a transfer list detaches exactly as postMessage does.
      structuredClone(bytes.buffer, { transfer: [bytes.buffer as ArrayBuffer] });
      await db.registerFile(name, copy);
    },
  };
}

describe('staging a CSV when registerFile detaches the buffer (browser semantics)', () => {
  let db: Db;
  beforeAll(async () => {
    db = detachingDb(await openTestDb());
  });
  afterAll(async () => db?.close());

  it('the wrapper really detaches', async () => {
    const bytes = new TextEncoder().encode('a\n1\n');
    await db.registerFile('probe.csv', bytes);
    expect(bytes.byteLength).toBe(0);
  });

  it.each([
    ['quote-free export', (i: number) => `C${i},2024-01-0${(i % 9) + 1} 10:00:00,THEFT,${29.9 + i / 1e4},-90.1`],
    ['export with quoted text', (i: number) => `C${i},2024-01-0${(i % 9) + 1} 10:00:00,"THEFT, PETTY",${29.9 + i / 1e4},-90.1`],
  ])('%s: every row staged, line numbers kept', async (_label, line) => {
    const rows = 5000;
    const text = `call_id,received,type,lat,lon\n${Array.from({ length: rows }, (_, i) => line(i)).join('\n')}\n`;
    const report = await stageCsv(db, { name: 'calls.csv', bytes: new TextEncoder().encode(text) }, { table: 'stage_t', append: false });
    expect(report.stagedRows).toBe(rows);
    expect(report.rejected).toEqual([]);
    expect(report.dialect?.quote).toBe('"');
    expect(scalar(await db.query('SELECT count(*) FROM stage_t WHERE _source_line = 2 AND call_id = \'C0\''))).toBe(1);
  });
});
