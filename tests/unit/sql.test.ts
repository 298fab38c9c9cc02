import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/data/db-types';
import { toRows } from '../../src/data/rows';
import { ident, inList, join, sql } from '../../src/data/sql';
import { openTestDb } from '../engine';

describe('sql tagged template', () => {
  let db: Db;
  beforeAll(async () => {
    db = await openTestDb();
  });
  afterAll(async () => db.close());

  it('turns values into parameters and composes fragments', () => {
    const where = join([sql`a = ${1}`, sql`b = ${'x'}`], ' AND ');
    const q = sql`SELECT * FROM ${ident('t')} WHERE ${where}`;
    expect(q.text).toBe('SELECT * FROM "t" WHERE a = ? AND b = ?');
    expect(q.params).toEqual([1, 'x']);
  });

  it('keeps hostile text out of the statement, on real DuckDB', async () => {
    const hostile = "x'); DROP TABLE t; --";
    await db.query('CREATE TABLE t (s VARCHAR)');
    await db.query(sql`INSERT INTO t VALUES (${hostile})`);
    const rows = toRows(await db.query(sql`SELECT s FROM t WHERE s IN ${inList([hostile, 'other'])}`));
    expect(rows).toEqual([{ s: hostile }]);
  });

  it('quotes identifiers with embedded quotes', async () => {
    const col = 'Upon Researching the "above" item :';
    await db.query(sql`CREATE TABLE u AS SELECT 1 AS ${ident(col)}`);
    const rows = toRows(await db.query(sql`SELECT ${ident(col)} AS v FROM u`));
    expect(rows).toEqual([{ v: 1 }]);
  });

  it('fails fast instead of autoloading extensions (offline)', async () => {
    await expect(db.query(`SELECT * FROM read_parquet('missing.parquet')`)).rejects.toThrow(/not in the catalog/);
  });
});
