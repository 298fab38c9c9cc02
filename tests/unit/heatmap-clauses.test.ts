/**
 * Heatmap brush ⇄ clauses on the real engine: for random brushes (any consecutive days, any
 * hour window incl. ones crossing midnight and the whole day), the selection's predicate
 * counts exactly the calls of the brushed cells, recounted in JS with the chart's own
 * hourInWindow; and the brush drawn back from the clauses selects the same cells.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HeatmapBrush, hourInWindow } from '../../src/charts/hour-of-week-heatmap';
import type { Db } from '../../src/data/db-types';
import { scalar } from '../../src/data/rows';
import { sql } from '../../src/data/sql';
import { weekdaysClause } from '../../src/state/clauses';
import { heatmapBrushClauses, heatmapBrushOf } from '../../src/state/heatmap-clauses';
import { Selection } from '../../src/state/selection';
import { VIEW_IDS } from '../../src/state/view-clients';
import { openTestDb } from '../engine';

// cell k = dow * 24 + hour holds (k % 7) + 1 calls: uneven, so a wrong cell changes the sum
const callsIn = (k: number) => (k % 7) + 1;
const cellsOf = (b: HeatmapBrush) => {
  const out: number[] = [];
  for (const d of b.days) for (let h = 0; h < 24; h++) if (hourInWindow(h, b.startHour, b.endHour)) out.push(d * 24 + h);
  return out.sort((a, c) => a - c);
};

const brushArb = fc
  .record({ first: fc.integer({ min: 0, max: 6 }), length: fc.integer({ min: 1, max: 7 }), startHour: fc.integer({ min: 0, max: 23 }), span: fc.integer({ min: 1, max: 24 }) })
  .map(({ first, length, startHour, span }): HeatmapBrush => ({
    days: Array.from({ length: Math.min(length, 7 - first) }, (_, i) => first + i),
    startHour,
    endHour: ((startHour + span - 1) % 24) + 1,
  }));

describe('heatmap brush clauses', () => {
  let db: Db;
  beforeAll(async () => {
    db = await openTestDb();
    await db.query(sql`CREATE TABLE calls AS SELECT (k // 24)::INTEGER AS dow, (k % 24)::INTEGER AS hour
      FROM range(168) r(k), range(7) c(i) WHERE c.i < (k % 7) + 1`);
  });
  afterAll(async () => db?.close());

  it('the predicate counts the brushed cells, and the drawn brush covers the same cells', async () => {
    await fc.assert(
      fc.asyncProperty(brushArb, async (b) => {
        const s = new Selection();
        s.update(...heatmapBrushClauses(b));
        const n = scalar(await db.query(sql`SELECT count(*) FROM calls WHERE ${s.predicate(VIEW_IDS.total)}`));
        expect(n).toBe(cellsOf(b).reduce((t, k) => t + callsIn(k), 0));
        // the heatmap ignores its own clauses (cross-filtering)
        expect(s.predicate(VIEW_IDS.heatmap).text).toBe('TRUE');
        const back = heatmapBrushOf(s.clauses());
        if (s.clauses().length === 0) expect(back).toBeNull();
        else expect(cellsOf(back!)).toEqual(cellsOf(b));
      }),
      { numRuns: 60, seed: 20261125 },
    );
  });

  it('Mon–Fri 20:00–02:00 gives two readable clauses; no brush gives none', () => {
    const clauses = heatmapBrushClauses({ days: [0, 1, 2, 3, 4], startHour: 20, endHour: 2 });
    expect(clauses.map((c) => [c.spec.kind, c.label])).toEqual([
      ['weekdays', 'Mon, Tue, Wed, Thu, Fri'],
      ['hours', '20:00–02:00'],
    ]);
    expect(heatmapBrushClauses(null)).toEqual([]);
    expect(heatmapBrushClauses({ days: [0, 1, 2, 3, 4, 5, 6], startHour: 6, endHour: 6 })).toEqual([]);
  });

  it('weekdays that are not consecutive (from a link) draw no rectangle; other sources are ignored', () => {
    expect(heatmapBrushOf([weekdaysClause(VIEW_IDS.heatmap, [0, 2])])).toBeNull();
    expect(heatmapBrushOf([weekdaysClause('playback', [0, 1])])).toBeNull();
  });
});
