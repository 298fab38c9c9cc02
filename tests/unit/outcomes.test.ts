import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DispositionCount, dispositionShares, NO_DISPOSITION } from '../../src/analysis/outcomes';
import { assignTier } from '../../src/analysis/tiers';
import type { Db } from '../../src/data/db-types';
import preset from '../../src/data/presets/tiers-nopd.json';
import { dispositionsByTierArea } from '../../src/data/queries/outcomes';
import { type Row, toRows } from '../../src/data/rows';
import { parseTierMap } from '../../src/data/tier-map';
import { newOrleansDir, openTestDb, skipReason } from '../engine';
import { createCallsTable, useNolaCalls, syntheticCalls } from './tiers-fixtures';

const NOPD = parseTierMap(preset);
const counts = (rows: Row[]): DispositionCount[] =>
  rows.map((r) => ({
    tier: r.tier as number | null,
    areaId: r.area_id as string | null,
    areaName: r.area_name as string | null,
    disposition: r.disposition as string | null,
    n: r.n as number,
  }));

describe('dispositionShares (hand-computed)', () => {
  const rows: DispositionCount[] = [
    { tier: 1, areaId: 'A', disposition: 'RTF', n: 6 },
    { tier: 1, areaId: 'A', disposition: 'GOA', n: 3 },
    { tier: 1, areaId: 'A', disposition: null, n: 1 },
    { tier: 3, areaId: 'A', disposition: 'RTF', n: 10 },
    { tier: 1, areaId: 'B', disposition: 'GOA', n: 5 },
  ];

  it('groups by tier, area or both with shares that sum to one', () => {
    const byTier = dispositionShares(rows, 'tier');
    expect(byTier.map((g) => [g.key, g.total])).toEqual([
      ['1', 15],
      ['3', 10],
    ]);
    expect(byTier[0]!.items).toEqual([
      { disposition: 'GOA', n: 8, share: 8 / 15 },
      { disposition: 'RTF', n: 6, share: 6 / 15 },
      { disposition: NO_DISPOSITION, n: 1, share: 1 / 15 },
    ]);
    const both = dispositionShares(rows, 'tier-area');
    expect(both.map((g) => g.key)).toEqual(['1|A', '1|B', '3|A']);
    for (const g of both) expect(g.items.reduce((s, i) => s + i.share, 0)).toBeCloseTo(1, 12);
  });

  it('pools small dispositions into "other" without changing totals', () => {
    const [a] = dispositionShares(rows, 'area', { minShare: 0.1 });
    expect(a!.total).toBe(20);
    expect(a!.items).toEqual([
      { disposition: 'RTF', n: 16, share: 0.8 },
      { disposition: 'GOA', n: 3, share: 0.15 },
      { disposition: 'other', n: 1, share: 0.05 },
    ]);
  });
});

describe('dispositionsByTierArea on real DuckDB', () => {
  let db: Db;
  const calls = syntheticCalls(4000, 3);
  beforeAll(async () => {
    db = await openTestDb();
    await createCallsTable(db, calls);
  });
  afterAll(async () => db.close());

  it('equals counts over the generated records with tiers from the JS reference', async () => {
    const groups = dispositionShares(counts(toRows(await db.query(dispositionsByTierArea(NOPD)))), 'tier-area');
    const expected = new Map<string, number>();
    for (const c of calls) {
      const tier = assignTier(NOPD, { typeCode: c.type_code, typeText: c.type_text, priority: c.priority });
      const k = `${tier}|${c.area_id}|${c.disposition}`;
      expected.set(k, (expected.get(k) ?? 0) + 1);
    }
    const got = new Map(groups.flatMap((g) => g.items.map((i) => [`${g.key}|${i.disposition}`, i.n] as const)));
    expect(got).toEqual(expected);
  });
});

describe('outcomes on the real New Orleans file', () => {
  const dir = newOrleansDir();
  const db = useNolaCalls(dir);

  it.skipIf(!dir)('disposition totals equal the deduplicated raw file; a report follows most Level 3 calls', async () => {
    skipReason('New Orleans data', dir);
    const all = dispositionShares(counts(toRows(await db.query(dispositionsByTierArea(NOPD)))), 'all')[0]!;
    const raw = toRows(
      await db.query(`SELECT "Disposition" AS d, count(*)::INTEGER AS n FROM nopd_raw
        WHERE _line IN (SELECT min(_line) FROM nopd_raw GROUP BY item_number) GROUP BY 1`),
    );
    expect(all.total).toBe(6528);
    expect(new Map(all.items.map((i) => [i.disposition, i.n]))).toEqual(new Map(raw.map((r) => [r.d, r.n])));
    const byTier = dispositionShares(counts(toRows(await db.query(dispositionsByTierArea(NOPD)))), 'tier');
    expect(byTier.find((g) => g.key === '3')!.items[0]!.disposition).toBe('RTF');
    for (const g of byTier) expect(g.items.reduce((t, i) => t + i.n, 0)).toBe(g.total);
    console.info(`NOPD dispositions by tier: ${byTier.map((g) => `L${g.key}: ${g.items.slice(0, 3).map((i) => `${i.disposition} ${(100 * i.share).toFixed(0)}%`).join(', ')}`).join('; ')}`);
  });
});
