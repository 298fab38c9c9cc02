/**
 * Filter chips from selection clauses: type text next to each code (taken from the type bars'
 * own query on the engine, as the app will), area names for ids, the last included day of a
 * whole-day period, counts beyond two items, hostile text kept verbatim (React escapes it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/data/db-types';
import { typeCounts } from '../../src/data/queries/views';
import { toRows } from '../../src/data/rows';
import { sql } from '../../src/data/sql';
import type { TierMap } from '../../src/analysis/tiers';
import { areasClause, bboxClause, hoursClause, tiersClause, timeClause, typesClause, weekdaysClause } from '../../src/state/clauses';
import { filterChips } from '../../src/state/filter-chips';
import { Selection } from '../../src/state/selection';
import { VIEW_IDS } from '../../src/state/view-clients';
import { openTestDb } from '../engine';

const HOSTILE = '<img src=x onerror=alert(1)> "SHOTS" & co';

describe('filterChips', () => {
  let db: Db;
  let typeTexts: Map<string, string>;
  beforeAll(async () => {
    db = await openTestDb();
    await db.query(sql`CREATE TABLE calls AS SELECT * FROM (VALUES
      ('a', TIMESTAMP '2024-03-01 21:00', '21', 'SHOTS FIRED', 'D1'),
      ('b', TIMESTAMP '2024-03-02 01:00', '21', 'SHOTS FIRED', 'D2'),
      ('c', TIMESTAMP '2024-03-03 12:00', '67', ${HOSTILE}, 'D1'),
      ('d', TIMESTAMP '2024-03-04 12:00', NULL, NULL, NULL)) t(call_id, received_at, type_code, type_text, area_id)`);
    // the names the chips use come from the type bars' query, not from a hand-made table
    typeTexts = new Map(
      toRows(await db.query(typeCounts()))
        .filter((r) => r.type_code !== null && r.type_text !== null)
        .map((r) => [String(r.type_code), String(r.type_text)]),
    );
  });
  afterAll(async () => db?.close());

  it('puts the type text next to each code and keeps hostile text verbatim', () => {
    const s = new Selection();
    s.update(typesClause(VIEW_IDS.typeBars, ['21', '67']));
    expect(filterChips(s.clauses(), { typeTexts })).toEqual([{ id: 'types', title: 'Type', value: `21 SHOTS FIRED, 67 ${HOSTILE}` }]);
    s.update(typesClause(VIEW_IDS.typeBars, [null, '99']));
    // no text known for 99: the code alone; null is the calls without a type
    expect(filterChips(s.clauses(), { typeTexts })[0]!.value).toBe('(no type), 99');
    s.update(typesClause(VIEW_IDS.typeBars, ['21', '67', null]));
    expect(filterChips(s.clauses(), { typeTexts })[0]!.value).toBe('3 call types');
    // a text that starts with its code is not prefixed by it again
    s.update(typesClause(VIEW_IDS.typeBars, ['NOISE']));
    expect(filterChips(s.clauses(), { typeTexts: new Map([['NOISE', 'NOISE COMPLAINT']]) })[0]!.value).toBe('NOISE COMPLAINT');
  });

  it('one chip per clause in selection order, removable by clause id', () => {
    const s = new Selection();
    s.update(
      weekdaysClause(VIEW_IDS.heatmap, [4, 0, 1, 2, 3]),
      hoursClause(VIEW_IDS.heatmap, 20, 2),
      timeClause(VIEW_IDS.timeSeries, '2024-03-01', '2024-03-08'),
      areasClause(VIEW_IDS.areaTable, ['D1', null]),
      bboxClause(VIEW_IDS.map, { west: -90.1, south: 29.9, east: -90.0, north: 30 }),
    );
    const chips = filterChips(s.clauses(), { typeTexts, areaNames: new Map([['D1', 'First District']]) });
    expect(chips.map((c) => [c.title, c.value])).toEqual([
      ['Days', 'Mon, Tue, Wed, Thu, Fri'],
      ['Hours', hoursClause('x', 20, 2).label],
      ['Dates', '2024-03-01 to 2024-03-07'],
      ['Area', 'First District, outside every area'],
      ['Place', 'map extent'],
    ]);
    expect(chips.map((c) => c.id)).toEqual(s.clauses().map((c) => c.id));
    s.remove(chips[2]!.id);
    expect(filterChips(s.clauses()).map((c) => c.title)).not.toContain('Dates');
  });

  it('a tier picked on the type bars reads as the department\'s level', () => {
    const map: TierMap = { version: 1, rules: [{ typeCode: '21', tier: 3 }] };
    expect(filterChips([tiersClause(VIEW_IDS.typeBars, [2], map)])).toEqual([{ id: 'tiers', title: 'Tier', value: 'Level 2' }]);
    expect(filterChips([tiersClause(VIEW_IDS.typeBars, [3, null], map)])[0]!.value).toBe('Level 3, unknown');
  });

  it('a period with times keeps the clause label (the end is then exact, not a whole day)', () => {
    const c = timeClause(VIEW_IDS.timeSeries, '2024-03-01T20:00', '2024-03-02T02:00');
    expect(filterChips([c])[0]!.value).toBe(c.label);
    expect(c.label).toContain('2024-03-02 02:00');
  });
});
