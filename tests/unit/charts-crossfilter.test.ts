/**
 * The whole loop on the demo city: charts mounted in a DOM, connected to one Selection,
 * queries on the real engine. Brushing the heatmap from the keyboard re-queries the other
 * views (not the heatmap), and the numbers the charts' tables show agree with each other.
 * The DOM is a happy-dom Window made here rather than the test environment: with a global
 * `window`, parquet-wasm (inside the loader) takes its browser path and fetches its wasm.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Window } from 'happy-dom';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as areaTable from '../../src/charts/area-table';
import * as heatmap from '../../src/charts/hour-of-week-heatmap';
import * as timeSeries from '../../src/charts/time-series';
import * as typeBars from '../../src/charts/type-bars';
import type { Db } from '../../src/data/db-types';
import { importDataset } from '../../src/data/import-dataset';
import { loadAreas } from '../../src/data/load-geo';
import { type Row, scalar, toRows } from '../../src/data/rows';
import type { Tier } from '../../src/analysis/tiers';
import { tierMapFromConfig } from '../../src/data/tier-map-config';
import { join, sql } from '../../src/data/sql';
import { hoursClause, tiersClause, typesClause, weekdaysClause } from '../../src/state/clauses';
import { filterChips } from '../../src/state/filter-chips';
import { connectQueryClient, Selection } from '../../src/state/selection';
import { VIEW_IDS, type ViewId, viewQuery } from '../../src/state/view-clients';
import { openTestDb } from '../engine';

const DEMO = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../data/demo');
const ready = existsSync(path.join(DEMO, 'calls.parquet'));
if (!ready) console.warn('data/demo/calls.parquet missing (npm run make-demo-data); skipping the cross-filter test.');

describe.skipIf(!ready)('charts cross-filtered on the demo city', () => {
  let db: Db;
  beforeAll(async () => {
    db = await openTestDb();
    const config = JSON.parse(readFileSync(path.join(DEMO, 'config.json'), 'utf8'));
    const { areas } = loadAreas({ name: 'areas.geojson', bytes: readFileSync(path.join(DEMO, 'areas.geojson')) });
    await importDataset(db, [{ name: 'calls.parquet', bytes: readFileSync(path.join(DEMO, 'calls.parquet')) }], { areas, mapping: config.expectedMapping });
  });
  afterAll(async () => db?.close());

  it('brushing the heatmap filters every other chart, which then agree on the count', async () => {
    const window = new Window();
    const document = window.document as unknown as Document;
    const { KeyboardEvent, MouseEvent } = window as unknown as { KeyboardEvent: typeof globalThis.KeyboardEvent; MouseEvent: typeof globalThis.MouseEvent };
    const selection = new Selection();
    const host = document.createElement('div');
    document.body.appendChild(host);
    const latest: Partial<Record<ViewId, Row[]>> = {};
    const requeries: Partial<Record<ViewId, number>> = {};
    const heat = heatmap.create(host.appendChild(document.createElement('div')), {
      title: 'Calls by hour of week',
      hourOffset: 6,
      onBrush: (b) => {
        if (!b) selection.clearSource(VIEW_IDS.heatmap);
        else selection.update(hoursClause(VIEW_IDS.heatmap, b.startHour, b.endHour), weekdaysClause(VIEW_IDS.heatmap, b.days));
      },
    });
    const series = timeSeries.create(host.appendChild(document.createElement('div')), { title: 'Calls per day' });
    const bars = typeBars.create(host.appendChild(document.createElement('div')), {
      title: 'Calls by type',
      onSelect: (codes) => (codes.length ? selection.update(typesClause(VIEW_IDS.typeBars, codes)) : selection.clearSource(VIEW_IDS.typeBars)),
    });
    const areas = areaTable.create(host.appendChild(document.createElement('div')), { title: 'Areas' });
    const charts: Partial<Record<ViewId, { update(d: never): void }>> = { heatmap: heat, 'time-series': series, 'type-bars': bars, 'area-table': areas };
    for (const id of ['heatmap', 'time-series', 'type-bars', 'area-table', 'total'] as const) {
      connectQueryClient(selection, {
        id,
        query: viewQuery(id),
        run: async (statement) => toRows(await db.query(statement)),
        onPending: () => {
          requeries[id] = (requeries[id] ?? 0) + 1;
        },
        onResult: (rows) => {
          latest[id] = rows;
          charts[id]?.update(rows as never);
        },
      });
    }
    const sum = (id: ViewId) => (latest[id] ?? []).reduce((s, r) => s + Number(r.n), 0);
    const all = scalar(await db.query('SELECT count(*) FROM calls'));
    await vi.waitFor(() => expect(sum('total')).toBe(all), { timeout: 10_000 });
    for (const id of ['heatmap', 'time-series', 'type-bars', 'area-table'] as const) await vi.waitFor(() => expect(sum(id)).toBe(all));
    const before = { ...requeries };

    // Keyboard: Mon 20:00 (column 14 with the 06:00 offset), then grow to 02:00 and to Friday.
    const svg = host.querySelector('svg')!;
    const press = (key: string, shiftKey = false) => svg.dispatchEvent(new KeyboardEvent('keydown', { key, shiftKey, bubbles: true }));
    for (let i = 0; i < 14; i++) press('ArrowRight');
    press('Enter');
    for (let i = 0; i < 5; i++) press('ArrowRight', true);
    for (let i = 0; i < 4; i++) press('ArrowDown', true);
    expect(selection.get('hours')!.label).toBe('20:00–02:00');
    expect(selection.get('weekdays')!.label).toBe('Mon, Tue, Wed, Thu, Fri');

    const want = scalar(await db.query('SELECT count(*) FROM calls WHERE (hour >= 20 OR hour < 2) AND dow <= 4'));
    const t0 = performance.now();
    await vi.waitFor(() => expect(sum('total')).toBe(want), { timeout: 10_000 });
    for (const id of ['time-series', 'type-bars', 'area-table'] as const) await vi.waitFor(() => expect(sum(id)).toBe(want));
    console.log(`demo city (${all} calls): views settled ${(performance.now() - t0).toFixed(0)} ms after the last brush step`);
    // The heatmap was never asked again: it keeps the whole week to brush in.
    expect(requeries.heatmap).toBe(before.heatmap);
    expect(sum('heatmap')).toBe(all);
    expect(requeries['type-bars']!).toBeGreaterThan(before['type-bars']!);

    // The charts show those numbers: the type bars' accessible names hold the filtered counts.
    const typeList = host.querySelectorAll('[role="listbox"]')[1]!; // [0] is the time series
    const first = typeList.querySelector('[role="option"]')!.getAttribute('aria-label')!;
    const topType = latest['type-bars']![0]!;
    expect(first).toContain(`${Number(topType.n).toLocaleString('en-US')} calls`);
    expect(host.querySelectorAll('tbody tr').length).toBe(latest['area-table']!.length);

    // Picking a type on the bars filters the heatmap too, but not the bars.
    const beforeBars = requeries['type-bars'];
    typeList.querySelector('[role="option"] rect')!.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    const code = String(topType.type_code);
    const heatWant = scalar(await db.query(`SELECT count(*) FROM calls WHERE type_code = '${code}'`));
    await vi.waitFor(() => expect(sum('heatmap')).toBe(heatWant), { timeout: 10_000 });
    expect(requeries['type-bars']).toBe(beforeBars);
    host.remove();
    await window.happyDOM.close();
  });

  it('pressing a tier heading filters every other view to that tier\'s calls, the count the heading states', async () => {
    const window = new Window();
    const document = window.document as unknown as Document;
    const { KeyboardEvent } = window as unknown as { KeyboardEvent: typeof globalThis.KeyboardEvent };
    const tierMap = tierMapFromConfig(JSON.parse(readFileSync(path.join(DEMO, 'config.json'), 'utf8')).tierMap).map;
    const selection = new Selection();
    const host = document.body.appendChild(document.createElement('div'));
    const latest: Partial<Record<ViewId, Row[]>> = {};
    const bars = typeBars.create(host, {
      title: 'Calls by type',
      groupByTier: true,
      onSelectTier: (t) => selection.replaceAll(t ? [tiersClause(VIEW_IDS.typeBars, [t === 'unknown' ? null : (Number(t) as Tier)], tierMap)] : []),
    });
    for (const id of ['type-bars', 'total'] as const)
      connectQueryClient(selection, {
        id,
        query: viewQuery(id, { tierMap }),
        run: async (statement) => toRows(await db.query(statement)),
        onResult: (rows) => {
          latest[id] = rows;
          if (id === 'type-bars') bars.update(rows as never);
        },
      });
    const all = scalar(await db.query('SELECT count(*) FROM calls'));
    await vi.waitFor(() => expect(Number(latest.total?.[0]?.n)).toBe(all), { timeout: 10_000 });
    await vi.waitFor(() => expect(host.querySelector('[data-tier="3"]')).not.toBeNull());
    const head = host.querySelector('[data-tier="3"]')!;
    const stated = Number(/, ([\d,]+) calls? of any type/.exec(head.getAttribute('aria-label')!)![1]!.replaceAll(',', ''));
    head.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    expect(selection.clauses().map((c) => [c.spec, filterChips([c])[0]!.value])).toEqual([[{ kind: 'tiers', tiers: [3] }, 'Level 3']]);
    // the tier of each call from the map's own rules, counted here without the app's SQL
    const codes = Object.entries(JSON.parse(readFileSync(path.join(DEMO, 'config.json'), 'utf8')).tierMap as Record<string, { tier: number }>)
      .filter(([, r]) => r.tier === 3)
      .map(([code]) => code);
    const want = scalar(await db.query(sql`SELECT count(*) FROM calls WHERE type_code IN (${join(codes.map((c) => sql`${c}`), ', ')})`));
    expect(want).toBeGreaterThan(0);
    expect(stated).toBe(want);
    await vi.waitFor(() => expect(Number(latest.total?.[0]?.n)).toBe(want), { timeout: 10_000 });
    // the headings are redrawn on every change: look the pressed one up again
    expect(host.querySelector('[data-tier="3"]')!.getAttribute('aria-pressed')).toBe('true');
    host.remove();
    await window.happyDOM.close();
  });
});
