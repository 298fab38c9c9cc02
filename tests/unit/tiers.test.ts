import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  assignTier,
  type Tier,
  type TierMap,
  triageAudit,
  underTriageConcentration,
  wilsonInterval,
} from '../../src/analysis/tiers';
import { binomialUpperTail } from '../../src/analysis/binomial-exact';
import { bhAdjust } from '../../src/analysis/fdr';
import type { Db } from '../../src/data/db-types';
import preset from '../../src/data/presets/tiers-nopd.json';
import {
  referralOpportunities,
  tierCase,
  tierMixByArea,
  tierMixByHourOfWeek,
  triageByGroup,
  triageConfusion,
  typeCatalog,
  underTriagedCalls,
} from '../../src/data/queries/tiers';
import { type Row, toRows } from '../../src/data/rows';
import { sql } from '../../src/data/sql';
import { parseTierMap } from '../../src/data/tier-map';
import { newOrleansDir, openTestDb, skipReason } from '../engine';
import { createCallsTable, useNolaCalls, syntheticCalls } from './tiers-fixtures';

const NOPD = parseTierMap(preset, 'tiers-nopd.json');

/** A small map exercising every rule kind: code, pattern, priority prefix, default. */
const SMALL: TierMap = {
  version: 1,
  rules: [
    { typeCode: '21N', tier: 1, referral: true, category: 'noise' },
    { typeCode: 'loit', tier: 1, referral: true, category: 'loitering' },
    { typePattern: 'shoot|armed', tier: 3, category: 'violence' },
    { typePattern: '^suspicious', tier: 2 },
    { typeCode: '21', priority: '1E', tier: 1 },
    { priority: '2', tier: 3 },
  ],
  default: 2,
};

describe('triage statistics against R', () => {
  it('binomialUpperTail = binom.test(..., alternative = "greater")', () => {
    expect(binomialUpperTail(7, 40, 0.05)).toBeCloseTo(0.00339189757793598, 12);
    expect(binomialUpperTail(30, 200, 0.1)).toBeCloseTo(0.0163265659317664, 12);
    expect(binomialUpperTail(1, 500, 0.01)).toBeCloseTo(0.993429516957585, 10);
    expect(binomialUpperTail(120, 1000, 0.1)).toBeCloseTo(0.0219961449657944, 12);
    expect(binomialUpperTail(0, 10, 0.3)).toBe(1);
    expect(binomialUpperTail(11, 10, 0.3)).toBe(0);
  });

  it('matches the direct sum of binomial probabilities (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.double({ min: 0.01, max: 0.99, noNaN: true }), fc.nat(), (n, p, kk) => {
        const k = kk % (n + 1);
        let tail = 0;
        for (let i = k; i <= n; i++) {
          let c = 1;
          for (let j = 1; j <= i; j++) c = (c * (n - i + j)) / j;
          tail += c * p ** i * (1 - p) ** (n - i);
        }
        expect(binomialUpperTail(k, n, p)).toBeCloseTo(tail, 9);
      }),
    );
  });

  it('wilsonInterval = prop.test(correct = FALSE)$conf.int', () => {
    const [lo, hi] = wilsonInterval(7, 40);
    expect(lo).toBeCloseTo(0.0874541374603592, 12);
    expect(hi).toBeCloseTo(0.319499903317877, 12);
    const [lo0, hi0] = wilsonInterval(0, 25);
    expect(lo0).toBe(0);
    expect(hi0).toBeCloseTo(0.133192250939048, 12);
  });

  it('concentration q = p.adjust(p, "BH") over tested groups only (methods.md fixture F1), via the shared bhAdjust', () => {
    // Fixture F1 p-values; R: p.adjust(c(0.041, 0.001, 0.205, 0.039, 0.008, 0.042, 0.06, 0.074), "BH").
    const q = bhAdjust([0.041, 0.001, 0.205, 0.039, 0.008, 0.042, 0.06, 0.074]);
    const expected = [0.0672, 0.008, 0.205, 0.0672, 0.032, 0.0672, 0.08, 0.0845714285714286];
    for (const [i, v] of q.entries()) expect(v).toBeCloseTo(expected[i]!, 12);
    // Groups under minCount are not tested and must not inflate m for the others.
    const groups = [
      { key: 'a', count: 12, total: 60 },
      { key: 'b', count: 3, total: 5 },
      { key: 'c', count: 4, total: 80 },
      { key: 'd', count: 9, total: 70 },
    ];
    const overall = 28 / 215;
    const { groups: out } = underTriageConcentration(groups, { minCount: 20 });
    const byKey = Object.fromEntries(out.map((g) => [g.key, g]));
    expect(byKey.b!.p).toBeNull();
    expect(byKey.b!.q).toBeNull();
    const ps = ['a', 'c', 'd'].map((k) => binomialUpperTail(groups.find((g) => g.key === k)!.count, groups.find((g) => g.key === k)!.total, overall));
    const qs = bhAdjust(ps);
    for (const [i, k] of ['a', 'c', 'd'].entries()) expect(byKey[k]!.q).toBeCloseTo(qs[i]!, 15);
  });
});

describe('triageAudit and underTriageConcentration (hand-computed)', () => {
  it('builds the 4×4 matrix and rates over calls with both tiers known', () => {
    const audit = triageAudit([
      { initialTier: 1, finalTier: 1, count: 50 },
      { initialTier: 1, finalTier: 3, count: 5 },
      { initialTier: 2, finalTier: 3, count: 10 },
      { initialTier: 3, finalTier: 2, count: 4 },
      { initialTier: 2, finalTier: 2, count: 31 },
      { initialTier: null, finalTier: 3, count: 7 },
    ]);
    expect(audit.matrix[0]).toEqual([50, 0, 5, 0]);
    expect(audit.matrix[3]).toEqual([0, 0, 7, 0]);
    expect(audit.total).toBe(107);
    expect(audit.bothKnown).toBe(100);
    expect(audit.underTriage).toEqual({ count: 15, denominator: 100, rate: 0.15 });
    expect(audit.severeUnderTriage.count).toBe(5);
    expect(audit.overTriage.rate).toBeCloseTo(0.04, 15);
    expect(audit.agreement.count).toBe(81);
  });

  it('flags the one group far above the pooled rate and leaves small groups untested', () => {
    const { overallRate, groups } = underTriageConcentration(
      [
        { key: 'A', count: 10, total: 200 },
        { key: 'B', count: 12, total: 210 },
        { key: 'C', count: 40, total: 190 },
        { key: 'D', count: 5, total: 9 },
      ],
      { minCount: 20 },
    );
    expect(overallRate).toBeCloseTo(67 / 609, 15);
    const byKey = Object.fromEntries(groups.map((g) => [g.key, g]));
    expect(byKey.C!.flagged).toBe(true);
    expect(byKey.C!.p).toBeCloseTo(binomialUpperTail(40, 190, 67 / 609), 15);
    expect(byKey.A!.flagged).toBe(false);
    expect(byKey.D!.p).toBeNull();
    expect(byKey.D!.flagged).toBe(false);
    expect(groups[0]!.key).toBe('C');
  });
});

describe('tier assignment in SQL (real DuckDB) vs the JS reference', () => {
  let db: Db;
  const calls = syntheticCalls(12_000, 7);
  beforeAll(async () => {
    db = await openTestDb();
    await createCallsTable(db, calls);
  });
  afterAll(async () => db.close());

  const jsTier = (map: TierMap, r: Row, which: 'final' | 'initial'): Tier | null =>
    which === 'final'
      ? assignTier(map, { typeCode: r.type_code as string, typeText: r.type_text as string, priority: r.priority as string })
      : assignTier(map, {
          typeCode: r.initial_type_code as string | null,
          typeText: r.initial_type_text as string | null,
          priority: r.initial_priority as string | null,
        });

  it('tierCase gives the same tier as assignTier for every call, final and initial', async () => {
    for (const map of [SMALL, NOPD]) {
      const rows = toRows(
        await db.query(sql`SELECT *, ${tierCase(map, 'final')} AS f, ${tierCase(map, 'initial')} AS i FROM calls ORDER BY call_id`),
      );
      const mismatches = rows.filter((r) => r.f !== jsTier(map, r, 'final') || r.i !== jsTier(map, r, 'initial'));
      expect(mismatches.length).toBe(0);
      expect(rows.filter((r) => r.i === null).length).toBe(calls.filter((c) => c.initial_type_code === null).length);
    }
  });

  it('confusion matrix, mix and referral counts equal counts over JS-assigned tiers', async () => {
    const raw = toRows(await db.query('SELECT * FROM calls'));
    const expected = new Map<string, number>();
    for (const r of raw) {
      const k = `${jsTier(SMALL, r, 'initial')}|${jsTier(SMALL, r, 'final')}`;
      expected.set(k, (expected.get(k) ?? 0) + 1);
    }
    const got = toRows(await db.query(triageConfusion(SMALL)));
    expect(new Map(got.map((r) => [`${r.initial_tier}|${r.final_tier}`, r.n as number]))).toEqual(expected);
    const audit = triageAudit(got.map((r) => ({ initialTier: r.initial_tier as Tier | null, finalTier: r.final_tier as Tier | null, count: r.n as number })));
    expect(audit.total).toBe(calls.length);

    const mix = toRows(await db.query(tierMixByArea(SMALL)));
    expect(mix.reduce((s, r) => s + (r.n as number), 0)).toBe(calls.length);
    const a3t3 = raw.filter((r) => r.area_id === 'A3' && jsTier(SMALL, r, 'final') === 3).length;
    expect(mix.find((r) => r.area_id === 'A3' && r.tier === 3)?.n).toBe(a3t3);

    const how = toRows(await db.query(tierMixByHourOfWeek(SMALL)));
    expect(how.reduce((s, r) => s + (r.n as number), 0)).toBe(calls.length);
    expect(Math.max(...how.map((r) => r.dow as number))).toBe(6);

    const referrals = toRows(await db.query(referralOpportunities(SMALL)));
    expect(new Set(referrals.map((r) => r.category))).toEqual(new Set(['noise', 'loitering']));
    expect(referrals.reduce((s, r) => s + (r.n as number), 0)).toBe(calls.filter((c) => c.type_code === '21N' || c.type_code === 'LOIT').length);
  });

  it('finds the injected under-triage hotspot (area A7) and no false area', async () => {
    const byArea = toRows(await db.query(triageByGroup(SMALL, 'area')));
    const result = underTriageConcentration(byArea.map((r) => ({ key: r.key as string, count: r.under as number, total: r.total as number })));
    expect(result.groups.filter((g) => g.flagged).map((g) => g.key)).toEqual(['A7']);
    // Independent recount of A7's numerator straight from the generated records.
    const a7 = calls.filter((c) => c.area_id === 'A7' && c.initial_type_code !== null);
    const under = a7.filter(
      (c) =>
        (assignTier(SMALL, { typeCode: c.initial_type_code, typeText: c.initial_type_text, priority: c.initial_priority }) ?? 0) <
        (assignTier(SMALL, { typeCode: c.type_code, typeText: c.type_text, priority: c.priority }) ?? 0),
    );
    expect(byArea.find((r) => r.key === 'A7')?.under).toBe(under.length);

    const byHour = toRows(await db.query(triageByGroup(SMALL, 'hour')));
    const hours = underTriageConcentration(byHour.map((r) => ({ key: r.key as string, count: r.under as number, total: r.total as number })));
    const flagged = hours.groups.filter((g) => g.flagged).map((g) => Number(g.key));
    expect(flagged.length).toBeGreaterThan(0);
    expect(flagged.every((h) => h >= 1 && h <= 4)).toBe(true);
  });

  it('lists under-triaged calls, most severe first, honouring the filter and limit', async () => {
    const where = sql`area_id = ${'A7'}`;
    const list = toRows(await db.query(underTriagedCalls(SMALL, { where, limit: 50 })));
    expect(list.length).toBe(50);
    expect(list.every((r) => (r.initial_tier as number) < (r.final_tier as number) && r.area_id === 'A7')).toBe(true);
    const gaps = list.map((r) => (r.final_tier as number) - (r.initial_tier as number));
    expect([...gaps].sort((a, b) => b - a)).toEqual(gaps);
  });

  it('keeps hostile rule text out of the SQL statement', async () => {
    const hostile = "x'); DROP TABLE calls; --";
    const map = parseTierMap({ version: 1, rules: [{ typeCode: hostile, tier: 3 }, { typePattern: "O'BRIEN|\\(", tier: 1 }] });
    const q = triageConfusion(map);
    expect(q.text).not.toContain('DROP');
    await db.query(q);
    const [n] = toRows(await db.query('SELECT count(*)::INTEGER AS n FROM calls'));
    expect(n!.n).toBe(calls.length);
  });

  it('catalogues types with priority counts for suggestTiers', async () => {
    const cat = toRows(await db.query(typeCatalog()));
    const n = cat.filter((r) => r.code === '64G').reduce((s, r) => s + (r.n as number), 0);
    const expected = calls.filter((c) => c.type_code === '64G').length + calls.filter((c) => c.initial_type_code === '64G').length;
    expect(n).toBe(expected);
  });
});

describe('triage audit on the real New Orleans file', () => {
  const dir = newOrleansDir();
  const db = useNolaCalls(dir);

  it.skipIf(!dir)('under-triage counts equal an independent recount from the raw CSV rows', async () => {
    skipReason('New Orleans data', dir);
    const total = toRows(await db.query('SELECT count(*) AS n FROM calls'))[0]!.n;
    expect(total).toBe(6528);
    // Areas are the neighbourhood polygons (README: every non-zero point is inside one; 202 items sit at POINT (0 0)).
    const [areas] = toRows(await db.query('SELECT count(DISTINCT area_id)::INTEGER AS n, count_if(area_id IS NULL)::INTEGER AS none FROM calls'));
    expect(areas!.none).toBe(202);
    expect(areas!.n).toBeGreaterThan(8);
    expect(areas!.n).toBeLessThanOrEqual(72);
    const cells = toRows(await db.query(triageConfusion(NOPD)));
    const audit = triageAudit(cells.map((r) => ({ initialTier: r.initial_tier as Tier | null, finalTier: r.final_tier as Tier | null, count: r.n as number })));
    expect(audit.total).toBe(6528);

    // Independent path: first row per item_number from the raw staging table, tiers in JS.
    const raw = toRows(
      await db.query(`SELECT "Type" t, "TypeText" tt, "Priority" p, "InitialType" it, "InitialTypeText" itt, "InitialPriority" ip
        FROM nopd_raw QUALIFY row_number() OVER (PARTITION BY item_number ORDER BY _line) = 1`),
    );
    let under = 0;
    let severe = 0;
    for (const r of raw) {
      const f = assignTier(NOPD, { typeCode: r.t as string, typeText: r.tt as string, priority: r.p as string });
      const i = assignTier(NOPD, { typeCode: r.it as string, typeText: r.itt as string, priority: r.ip as string });
      if (f !== null && i !== null && i < f) under++;
      if (i === 1 && f === 3) severe++;
    }
    expect(audit.underTriage.count).toBe(under);
    expect(audit.severeUnderTriage.count).toBe(severe);
    expect(under).toBeGreaterThan(50);
    const list = toRows(await db.query(underTriagedCalls(NOPD, { limit: 100_000 })));
    expect(list.length).toBe(under);
    const byType = toRows(await db.query(triageByGroup(NOPD, 'type')));
    expect(byType.reduce((s, r) => s + (r.under as number), 0)).toBe(under);
    console.info(
      `NOPD preset: under-triage ${under}/${audit.bothKnown} (${(100 * audit.underTriage.rate).toFixed(1)}%), 1→3 ${severe}, over-triage ${audit.overTriage.count}`,
    );
  });
});
