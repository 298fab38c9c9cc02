import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringColumn } from '../../src/data/arrow-strings';
import type { Db } from '../../src/data/db-types';
import { openTestDb } from '../engine';

describe('stringColumn (one decode per Arrow chunk)', () => {
  let db: Db;
  beforeAll(async () => {
    db = await openTestDb();
  });
  afterAll(async () => db?.close());

  const slow = (t: Awaited<ReturnType<Db['query']>>, name: string) => Array.from({ length: t.numRows }, (_, i) => {
    const v = t.getChild(name)?.get(i);
    return v == null ? null : String(v);
  });

  it('equals Vector.get over many chunks, with nulls, empty strings and non-ASCII chunks', async () => {
    // 5,000 rows span several Arrow batches; every 7th is NULL, every 11th empty, and rows
    // 3,000–3,100 carry accents and an emoji so that chunk takes the per-value path.
    const t = await db.query(`SELECT CASE WHEN i % 7 = 0 THEN NULL WHEN i % 11 = 0 THEN ''
        WHEN i BETWEEN 3000 AND 3100 THEN 'Café Ñ ' || i || ' 🚓' ELSE '100 BLOCK OF ST ' || i END AS s
      FROM range(5000) r(i) ORDER BY i`);
    const got = stringColumn(t, 's');
    expect(got).toEqual(slow(t, 's'));
    expect(got[0]).toBeNull();
    expect(got[11]).toBe('');
    expect(got[3001]).toBe('Café Ñ 3001 🚓');
    expect(got[4999]).toBe('100 BLOCK OF ST 4999');
    expect(t.getChild('s')!.data.length).toBeGreaterThan(1);
  });

  it('a missing column is all null; a non-string column falls back to its values as text', async () => {
    const t = await db.query('SELECT i::INTEGER AS n FROM range(3) r(i) ORDER BY i');
    expect(stringColumn(t, 'nope')).toEqual([null, null, null]);
    expect(stringColumn(t, 'n')).toEqual(['0', '1', '2']);
  });
});
