/**
 * Selection semantics: who is told to re-query, what each client's predicate holds, and that
 * a slow answer for an old brush never replaces the answer for the current one (real DuckDB
 * queries, released out of order).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Db } from '../../src/data/db-types';
import { scalar } from '../../src/data/rows';
import { type Sql, sql } from '../../src/data/sql';
import { hoursClause, typesClause, weekdaysClause } from '../../src/state/clauses';
import { connectQueryClient, Latest, Selection } from '../../src/state/selection';
import { openTestDb } from '../engine';

function recorder(selection: Selection, id: string, filteredBy?: string[]) {
  const calls: string[] = [];
  selection.connect({ id, ...(filteredBy ? { filteredBy } : {}), requery: (where) => calls.push(where.text) });
  return calls;
}

describe('Selection', () => {
  it('notifies only the clients a clause affects, never its source', () => {
    const s = new Selection();
    const heat = recorder(s, 'heatmap');
    const bars = recorder(s, 'type-bars');
    const map = recorder(s, 'map', ['type-bars']);
    expect([heat.length, bars.length, map.length]).toEqual([1, 1, 1]); // initial query on connect
    s.update(hoursClause('heatmap', 20, 2));
    expect([heat.length, bars.length, map.length]).toEqual([1, 2, 1]);
    s.update(typesClause('type-bars', ['LOIT']));
    expect([heat.length, bars.length, map.length]).toEqual([2, 2, 2]);
    expect(s.affectedClients(['heatmap'])).toEqual(['type-bars']);
    s.clearSource('heatmap');
    expect([heat.length, bars.length, map.length]).toEqual([2, 3, 2]);
    s.replaceAll([]);
    expect([heat.length, bars.length, map.length]).toEqual([3, 4, 3]);
  });

  it('gives each client every other clause it listens to', () => {
    const s = new Selection();
    recorder(s, 'map', ['type-bars']);
    s.update(hoursClause('heatmap', 20, 2), weekdaysClause('heatmap', [0, 1]), typesClause('type-bars', ['A']));
    const heat = s.predicate('heatmap');
    expect(heat.text).toBe('(type_code IN (?))');
    expect(heat.params).toEqual(['A']);
    const bars = s.predicate('type-bars');
    expect(bars.text).toBe('(hour >= ? OR hour < ?) AND (dow IN (?, ?))');
    expect(bars.params).toEqual([20, 2, 0, 1]);
    expect(s.predicate('map').params).toEqual(['A']);
    expect(s.predicate(null).params).toEqual([20, 2, 0, 1, 'A']);
    expect(s.predicate('type-bars', ['hours']).text).toBe('(dow IN (?, ?))');
    expect(new Selection().predicate(null).text).toBe('TRUE');
  });

  it('replaces a clause with the same id and tells subscribers once per change', () => {
    const s = new Selection();
    const seen: number[] = [];
    s.subscribe((c) => seen.push(c.length));
    s.update(hoursClause('heatmap', 20, 2));
    s.update(hoursClause('heatmap', 6, 14));
    expect(s.clauses()).toHaveLength(1);
    expect(s.get('hours')!.label).toBe('06:00–14:00');
    s.remove('hours');
    expect(seen).toEqual([1, 1, 0]);
    expect(() => s.connect({ id: 'x', requery: () => {} }) && s.connect({ id: 'x', requery: () => {} })).toThrow(/already connected/);
  });

  it('Latest keeps only the newest generation', () => {
    const l = new Latest();
    const a = l.next();
    const b = l.next();
    expect([l.isCurrent(a), l.isCurrent(b)]).toEqual([false, true]);
  });
});

describe('connectQueryClient on DuckDB', () => {
  let db: Db;
  beforeAll(async () => {
    db = await openTestDb();
    await db.query(`CREATE TABLE calls AS SELECT i AS call_id, CAST(i % 24 AS INTEGER) AS hour, CAST(i % 7 AS INTEGER) AS dow, 'T' || (i % 5) AS type_code FROM range(10000) t(i)`);
  });
  afterAll(async () => db?.close());

  it('drops results that arrive after a newer request was made', async () => {
    const s = new Selection();
    const results: { n: number; generation: number }[] = [];
    const releases: (() => void)[] = [];
    const settled: Promise<void>[] = [];
    connectQueryClient(s, {
      id: 'total',
      query: (where) => sql`SELECT count(*) AS n FROM calls WHERE ${where}`,
      // The real query runs now; its answer is held until the test releases it, to force order.
      run: (statement: Sql) => {
        const answer = db.query(statement).then(scalar);
        let release!: () => void;
        const gate = new Promise<void>((r) => {
          release = r;
        });
        releases.push(release);
        const out = gate.then(() => answer);
        settled.push(out.then(() => undefined));
        return out;
      },
      onResult: (n, generation) => results.push({ n, generation }),
    });
    s.update(hoursClause('heatmap', 0, 12)); // generation 2 (1 was the connect)
    s.update(hoursClause('heatmap', 20, 2)); // generation 3
    releases[2]!();
    await settled[2];
    releases[1]!(); // the older brush answers late
    releases[0]!();
    await Promise.all(settled);
    const want = scalar(await db.query('SELECT count(*) FROM calls WHERE hour >= 20 OR hour < 2'));
    expect(results).toEqual([{ n: want, generation: 3 }]);
  });

  it('reports query errors of the current generation only', async () => {
    const s = new Selection();
    const errors: string[] = [];
    connectQueryClient(s, {
      id: 'bars',
      query: (where) => sql`SELECT count(*) FROM no_such_table WHERE ${where}`,
      run: (statement) => db.query(statement),
      onResult: () => {},
      onError: (e) => errors.push(String(e)),
    });
    await vi.waitFor(() => expect(errors).toHaveLength(1), { timeout: 5000 });
    expect(errors[0]).toMatch(/no_such_table/);
  });
});
