/**
 * The interaction cache answers every dashboard view exactly as its raw SQL (views.ts through
 * viewQuery) does, on the demo city in real DuckDB: while each kind of clause source is dragged
 * over fixed clauses of every kind, for random selections and drags (fast-check), and when
 * the moving clause is not cube-able (map rectangle). Newer runs supersede older ones.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TierMap } from '../../src/analysis/tiers';
import type { Db } from '../../src/data/db-types';
import { type Row, toRows } from '../../src/data/rows';
import { sql } from '../../src/data/sql';
import { areasClause, bboxClause, type Clause, hoursClause, polygonClause, tiersClause, timeClause, typesClause, weekdaysClause } from '../../src/state/clauses';
import { createInteractionCache, type InteractionCache } from '../../src/state/interaction-cache';
import { Selection } from '../../src/state/selection';
import { VIEW_IDS, type ViewContext, type ViewId, viewQuery } from '../../src/state/view-clients';
import { type DemoCity, demoReady, openDemoCity } from './demo-city';
import { DEMO_BOX, type DemoFilterValues, demoClauseArbitrary, demoFilterValues } from './demo-selections';

const ALL: ViewId[] = ['map', 'total', 'heatmap', 'time-series', 'type-bars', 'area-table'];
const BOX = DEMO_BOX;

describe.skipIf(!demoReady)('interaction cache on the demo city: cube answers = raw view SQL', () => {
  let city: DemoCity;
  let db: Db;
  let ctx: ViewContext;
  let tierMap: TierMap;
  let codes: string[];
  let areaIds: string[];
  let values: DemoFilterValues;

  beforeAll(async () => {
    city = await openDemoCity();
    db = city.db;
    values = await demoFilterValues(city);
    ({ tierMap, ctx, codes, areaIds } = values);
  }, 180_000);
  afterAll(async () => db?.close());

  const raw = async (id: ViewId, s: Selection, c: ViewContext = ctx): Promise<Row[]> => toRows(await db.query(viewQuery(id, c)(s.predicate(id), s)));
  async function expectSame(cache: InteractionCache, s: Selection, active: string | null | undefined, what: string, c: ViewContext = ctx): Promise<number> {
    const got = await cache.run(ALL, s, active);
    expect(got, what).not.toBeNull();
    let rows = 0;
    for (const id of ALL) {
      const want = await raw(id, s, c);
      expect(got!.get(id), `${id} ${what}`).toEqual(want);
      rows += want.length;
    }
    return rows;
  }

  /** Fixed clauses of every kind from sources other than the dragged one (time not on midnight). */
  const fixedFor = (moving: string): Clause[] =>
    [
      timeClause(VIEW_IDS.timeSeries, '2026-07-06T06:30', '2026-09-20T18:00'),
      hoursClause(VIEW_IDS.heatmap, 20, 4),
      weekdaysClause(VIEW_IDS.heatmap, [0, 1, 2, 4, 5]),
      typesClause(VIEW_IDS.typeBars, codes.slice(0, 9)),
      areasClause(VIEW_IDS.areaTable, [...areaIds.slice(0, 20), null]),
      bboxClause(VIEW_IDS.map, BOX),
    ].filter((c) => c.source !== moving);

  const drags: { source: string; label: string; steps: (i: number) => Clause[] }[] = [
    { source: VIEW_IDS.heatmap, label: 'hours + weekdays', steps: (i) => [hoursClause(VIEW_IDS.heatmap, (18 + i) % 24, (2 + 2 * i) % 24), weekdaysClause(VIEW_IDS.heatmap, [i % 7, (i + 3) % 7])] },
    // whole days, as the series brush makes; the area table's period moves with it
    { source: VIEW_IDS.timeSeries, label: 'whole-day period', steps: (i) => [timeClause(VIEW_IDS.timeSeries, `2026-08-${String(1 + i).padStart(2, '0')}`, `2026-08-${String(12 + 3 * i).padStart(2, '0')}`)] },
    { source: VIEW_IDS.typeBars, label: 'types', steps: (i) => [typesClause(VIEW_IDS.typeBars, [...codes.slice(i, i + 3 + i), ...(i === 2 ? [null] : [])])] },
    { source: VIEW_IDS.typeBars, label: 'tiers', steps: (i) => [tiersClause(VIEW_IDS.typeBars, ([[1], [3, null], [3], [1, 2]] as const)[i]!.slice(), tierMap)] },
    { source: VIEW_IDS.areaTable, label: 'areas', steps: (i) => [areasClause(VIEW_IDS.areaTable, areaIds.slice(2 * i, 2 * i + 5 + i))] },
  ];

  for (const drag of drags) {
    it(`dragging ${drag.source} (${drag.label}) over fixed clauses of every kind`, async () => {
      const cache = createInteractionCache(db, { context: ctx, prefix: `t_${drag.label.replace(/\W+/g, '_')}`, batch: true });
      const s = new Selection();
      s.update(...fixedFor(drag.source));
      let rows = 0;
      for (let i = 0; i < 3; i++) {
        s.update(...drag.steps(i));
        rows += await expectSame(cache, s, drag.source, `step ${i}`);
      }
      // brush cleared while still the moving source: the cubes answer "no clause" too
      s.clearSource(drag.source);
      rows += await expectSame(cache, s, drag.source, 'cleared');
      const st = cache.stats();
      // one cube per listening view (map leaves the rectangle out, total keeps it), built once for the whole drag
      expect(st.builds).toBe(5);
      expect(st.cubeReads).toBeGreaterThan(12);
      // batched: one statement per step after the builds (+ the stats table)
      expect(st.statements).toBe(st.builds + 1 + 4);
      expect(rows).toBeGreaterThan(250);
      await cache.dispose();
    }, 120_000);
  }

  it('a map rectangle being dragged is answered by the raw SQL, still one (batched) statement per step', async () => {
    const cache = createInteractionCache(db, { context: ctx, prefix: 't_box', batch: true });
    const s = new Selection();
    s.update(...fixedFor(VIEW_IDS.map));
    for (let i = 0; i < 3; i++) {
      s.update(bboxClause(VIEW_IDS.map, { ...BOX, west: BOX.west + 0.005 * i }));
      await expectSame(cache, s, VIEW_IDS.map, `box ${i}`);
    }
    s.update(polygonClause(VIEW_IDS.map, [[-89.61, 35.44], [-89.59, 35.445], [-89.6, 35.46]]));
    await expectSame(cache, s, VIEW_IDS.map, 'lasso');
    const st = cache.stats();
    expect(st.builds).toBe(0);
    expect(st.cubeReads).toBe(0);
    expect(st.statements).toBe(4);
    await cache.dispose();
  }, 60_000);

  it('random selections and random drags (fast-check): every view equals its raw SQL', async () => {
    const cache = createInteractionCache(db, { context: ctx, prefix: 't_prop' });
    const clauseArb = demoClauseArbitrary(values);
    let compared = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(clauseArb, { minLength: 0, maxLength: 5 }), fc.array(clauseArb, { minLength: 1, maxLength: 3 }), fc.boolean(), async (start, moves, explicit) => {
        const s = new Selection();
        s.update(...start);
        await expectSame(cache, s, null, 'start');
        for (const m of moves) {
          s.update(m);
          compared += await expectSame(cache, s, explicit ? m.source : undefined, `move ${m.label}`);
        }
      }),
      { numRuns: 5, seed: 20261126 },
    );
    expect(cache.stats().cubeReads).toBeGreaterThan(5);
    expect(compared).toBeGreaterThan(300);
    await cache.dispose();
  }, 240_000);

  it('the week series, a new tier map and a changed table are picked up (setContext, invalidate)', async () => {
    await db.query('CREATE OR REPLACE TABLE calls_copy AS SELECT * FROM calls');
    const copy: ViewContext = { ...ctx, table: 'calls_copy', interval: 'week' };
    const cache = createInteractionCache(db, { context: copy, prefix: 't_ctx' });
    const s = new Selection();
    s.update(typesClause(VIEW_IDS.typeBars, codes.slice(0, 5)));
    for (const h of [8, 9]) {
      s.update(hoursClause(VIEW_IDS.heatmap, h, 17));
      await expectSame(cache, s, VIEW_IDS.heatmap, `week ${h}`, copy);
    }
    const other: TierMap = { version: 1, rules: [{ typeCode: codes[0]!, tier: 2 }], default: 1 };
    const next = { ...copy, tierMap: other };
    cache.setContext(next);
    await expectSame(cache, s, VIEW_IDS.heatmap, 'new tier map', next);
    await db.query(sql`DELETE FROM calls_copy WHERE type_code = ${codes[1]!} OR received_at >= TIMESTAMP '2026-09-20'`);
    cache.invalidate();
    s.update(hoursClause(VIEW_IDS.heatmap, 10, 17));
    // a run under way when the data change must not hand over (or remember) rows of the old data
    const during = cache.run(ALL, s, VIEW_IDS.heatmap);
    cache.invalidate();
    expect(await during).toBeNull();
    await expectSame(cache, s, VIEW_IDS.heatmap, 'after invalidate', next);
    await cache.dispose();
  }, 60_000);

  it('breaks mode(type_text) and any_value(area_name) ties as the raw query does', async () => {
    // one code with two texts seen equally often: the raw mode() keeps the one met first
    await db.query(`CREATE OR REPLACE TABLE calls_ties AS SELECT * FROM calls WHERE type_code IN ('LOIT', 'NOISE') ORDER BY received_at LIMIT 400`);
    await db.query(`UPDATE calls_ties SET type_text = CASE WHEN rowid % 2 = 0 THEN 'Loitering (b)' ELSE 'Loitering (a)' END WHERE type_code = 'LOIT'`);
    await db.query(`UPDATE calls_ties SET area_name = CASE WHEN rowid % 3 = 0 THEN NULL ELSE 'Name ' || (rowid % 2)::VARCHAR END`);
    const c: ViewContext = { ...ctx, table: 'calls_ties' };
    const cache = createInteractionCache(db, { context: c, prefix: 't_ties' });
    const s = new Selection();
    for (const [a, b] of [[0, 24], [6, 18], [12, 13], [1, 23]] as const) {
      s.update(hoursClause(VIEW_IDS.heatmap, a, b));
      await expectSame(cache, s, VIEW_IDS.heatmap, `ties ${a}-${b}`, c);
    }
    await cache.dispose();
  }, 60_000);

  it('builds on prepare (brush start), or from the third change in a row of an inferred source', async () => {
    const cache = createInteractionCache(db, { context: ctx, prefix: 't_policy', batch: true });
    const s = new Selection();
    s.update(typesClause(VIEW_IDS.typeBars, codes.slice(0, 4)), bboxClause(VIEW_IDS.map, BOX));
    await cache.prepare(s, VIEW_IDS.heatmap, ALL);
    expect(cache.stats()).toMatchObject({ builds: 5, statements: 6 });
    s.update(hoursClause(VIEW_IDS.heatmap, 7, 19));
    await expectSame(cache, s, VIEW_IDS.heatmap, 'after prepare');
    expect(cache.stats()).toMatchObject({ builds: 5, statements: 7, cubeReads: 5 });
    // no source named: a single change of another source is a click, raw and batched
    s.update(areasClause(VIEW_IDS.areaTable, areaIds.slice(0, 6)));
    await expectSame(cache, s, undefined, 'click');
    expect(cache.stats()).toMatchObject({ builds: 5, statements: 8 });
    s.update(areasClause(VIEW_IDS.areaTable, areaIds.slice(3, 9)));
    await expectSame(cache, s, undefined, 'second change of the areas');
    expect(cache.stats().builds).toBe(5);
    s.update(areasClause(VIEW_IDS.areaTable, areaIds.slice(5, 12)));
    await expectSame(cache, s, undefined, 'third change of the areas');
    expect(cache.stats().builds).toBe(10);
    await cache.dispose();
  }, 60_000);

  it('a newer run supersedes the waiting and the running ones: only the newest resolves', async () => {
    const cache = createInteractionCache(db, { context: ctx, prefix: 't_stale', batch: true });
    const pending: Promise<Map<ViewId, Row[]> | null>[] = [];
    const selections: Selection[] = [];
    for (let h = 0; h < 6; h++) {
      const sel = new Selection();
      sel.update(hoursClause(VIEW_IDS.heatmap, h, h + 6));
      selections.push(sel);
      pending.push(cache.run(ALL, sel, VIEW_IDS.heatmap));
    }
    const results = await Promise.all(pending);
    expect(results.slice(0, -1).every((r) => r === null)).toBe(true);
    const last = results.at(-1)!;
    for (const id of ALL) expect(last.get(id)).toEqual(await raw(id, selections.at(-1)!));
    // the first started (then stopped before its next statement); 2–5 never started
    expect(cache.stats().superseded).toBe(5);
    expect(cache.stats().statements).toBeLessThanOrEqual(2 + 7);
    await cache.dispose();
  }, 60_000);
});
