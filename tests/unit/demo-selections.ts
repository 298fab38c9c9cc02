/**
 * Test helper: the filter values of the demo city (its tier map, view context, call types and
 * areas) and a fast-check arbitrary of one selection clause of each kind over them. Shared by
 * the tests that hold a faster path (typed-array columns, interaction-cache cubes) equal to the
 * raw view SQL on random selections.
 */
import fc from 'fast-check';
import type { TierMap } from '../../src/analysis/tiers';
import { toRows } from '../../src/data/rows';
import { areasClause, bboxClause, type Clause, hourOfWeekClause, hoursClause, tiersClause, timeClause, typesClause, weekdaysClause } from '../../src/state/clauses';
import { VIEW_IDS, type ViewContext } from '../../src/state/view-clients';
import type { DemoCity } from './demo-city';

/** A box around the demo city's centre: rectangles are cut from it. */
export const DEMO_BOX = { west: -89.62, south: 35.43, east: -89.58, north: 35.47 };

/** Hour-of-week cell numbers (0 = Monday 00:00 … 167) as the heatmap clause takes them. */
export const hourOfWeekCells = (cells: number[]) => cells.map((c) => ({ dow: Math.floor(c / 24), hour: c % 24 }));

export interface DemoFilterValues {
  tierMap: TierMap;
  ctx: ViewContext;
  /** call type codes, most frequent first */
  codes: string[];
  areaIds: string[];
}

export async function demoFilterValues(city: DemoCity): Promise<DemoFilterValues> {
  const tierMap: TierMap = {
    version: 1,
    rules: Object.entries(city.config.tierMap as Record<string, { tier: 1 | 2 | 3 }>).map(([code, v]) => ({ typeCode: code, tier: v.tier })),
  };
  const ctx = { tierMap, population: Object.fromEntries(city.areas.map((a) => [a.id, Number(a.properties.population)])) };
  const codes = toRows(await city.db.query('SELECT type_code FROM calls GROUP BY 1 ORDER BY count(*) DESC, 1')).map((r) => String(r.type_code));
  const areaIds = toRows(await city.db.query('SELECT area_id FROM calls WHERE area_id IS NOT NULL GROUP BY 1 ORDER BY 1')).map((r) => String(r.area_id));
  return { tierMap, ctx, codes, areaIds };
}

/** One clause of any kind; `hourOfWeek` adds heatmap cell picks (the cubes do not key on them). */
export function demoClauseArbitrary(v: DemoFilterValues, o: { hourOfWeek?: boolean } = {}): fc.Arbitrary<Clause> {
  const day = fc.integer({ min: 0, max: 90 }).map((d) => new Date(Date.UTC(2026, 5, 29 + d)).toISOString().slice(0, 10));
  return fc.oneof(
    fc.tuple(day, fc.integer({ min: 1, max: 40 }), fc.boolean(), fc.integer({ min: 0, max: 23 })).map(([d, len, minute, h]) => {
      const end = new Date(Date.parse(`${d}T00:00:00Z`) + len * 86_400_000).toISOString().slice(0, 10);
      return timeClause(VIEW_IDS.timeSeries, d, minute ? `${end}T${String(h).padStart(2, '0')}:15` : end);
    }),
    fc
      .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 24 }))
      .filter(([a, b]) => a !== b % 24)
      .map(([a, b]) => hoursClause(VIEW_IDS.heatmap, a, b)),
    fc.uniqueArray(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 7 }).map((d) => weekdaysClause(VIEW_IDS.heatmap, d)),
    ...(o.hourOfWeek
      ? [fc.uniqueArray(fc.integer({ min: 0, max: 167 }), { minLength: 1, maxLength: 40 }).map((c) => hourOfWeekClause(VIEW_IDS.heatmap, hourOfWeekCells(c)))]
      : []),
    fc.uniqueArray(fc.integer({ min: 0, max: 27 }), { minLength: 1, maxLength: 8 }).map((ix) => typesClause(VIEW_IDS.typeBars, ix.map((i) => v.codes[i] ?? null))),
    fc.uniqueArray(fc.constantFrom<1 | 2 | 3 | null>(1, 2, 3, null), { minLength: 1, maxLength: 3 }).map((t) => tiersClause(VIEW_IDS.typeBars, t, v.tierMap)),
    fc.uniqueArray(fc.integer({ min: 0, max: 32 }), { minLength: 1, maxLength: 10 }).map((ix) => areasClause(VIEW_IDS.areaTable, ix.map((i) => v.areaIds[i] ?? null))),
    fc.tuple(fc.double({ min: 0, max: 0.03, noNaN: true }), fc.double({ min: 0, max: 0.03, noNaN: true })).map(([dx, dy]) =>
      bboxClause(VIEW_IDS.map, { west: DEMO_BOX.west + dx, south: DEMO_BOX.south + dy, east: DEMO_BOX.east, north: DEMO_BOX.north }),
    ),
  );
}
