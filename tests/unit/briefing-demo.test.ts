/**
 * Council briefing on the demo city (synthetic): every byte of the published folder is scanned
 * for call ids, block addresses and input coordinates, and every published count is recomputed
 * from the calls with SQL written here (not the briefing's own queries).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { squareGridSpec } from '../../src/analysis/binning';
import type { Db } from '../../src/data/db-types';
import { toRows } from '../../src/data/rows';
import { inList, Sql, sql } from '../../src/data/sql';
import { tierMapFromConfig } from '../../src/data/tier-map-config';
import { type BriefingModel, buildBriefingModel, renderBriefing } from '../../src/export/briefing';
import { DEFAULT_SENSITIVE_CATEGORIES, type SensitiveCategory, sensitiveMatcher } from '../../src/export/sensitive-types';
import { publishedData, scanForLeaks } from './briefing-scan';
import { demoReady, openDemoCity } from './demo-city';

const HOSTILE = '<script>alert(1)</script><img src=x onerror=alert(2)>';

describe.skipIf(!demoReady)('council briefing on the demo city (synthetic)', () => {
  let db: Db;
  let model: BriefingModel;
  let files: Record<string, Uint8Array>;
  let categories: SensitiveCategory[];
  // biome-ignore lint/suspicious/noExplicitAny: config.json as documented in data/demo/README.md
  let config: any;

  beforeAll(async () => {
    const city = await openDemoCity();
    db = city.db;
    config = city.config;
    categories = [...DEFAULT_SENSITIVE_CATEGORIES, { id: 'dataset', label: 'Listed in the dataset config', terms: [], codes: config.sensitiveTypes }];
    const quality = { files: [], rows: { input: 50301, loaded: 50301, rejected: 0, duplicates: 152 }, timeRange: { start: '2026-06-29 00:00:00', end: '2026-09-27 23:59:00' }, timeZone: 'America/Chicago', geo: { valid: 0, missing: 979, zero: 181, outside: 0, swapped: 0, outOfRange: 0 }, timestamps: { unparseable: 0, outOfRange: 0 }, mapping: config.expectedMapping };
    model = await buildBriefingModel(db, {
      narrative: { title: `Quarterly briefing ${HOSTILE}`, summary: `Summary ${HOSTILE}`, paragraphs: ['First.', 'Second.', 'Third.'], notes: HOSTILE },
      areas: city.areas,
      tierMap: tierMapFromConfig(config.tierMap).map,
      quality,
      categories,
      place: config.name,
      rotation: 'auto',
      publishedOn: '2026-10-05',
    });
    files = renderBriefing(model);
  }, 180_000);
  afterAll(async () => db?.close());

  it('publishes no call id, block address or input coordinate anywhere in the folder', async () => {
    const leaks = await scanForLeaks(db, files);
    expect(leaks.scanned.ids).toBeGreaterThan(50_000);
    expect(leaks.scanned.addresses).toBeGreaterThan(100);
    expect(leaks.scanned.points).toBeGreaterThan(1000);
    expect(leaks.found).toEqual([]);
    const bytes = Object.values(files).reduce((a, b) => a + b.byteLength, 0);
    console.log(`demo briefing: ${Object.keys(files).length} files, ${bytes.toLocaleString('en-US')} bytes; ${model.disclosure.primary} primary + ${model.disclosure.secondary} complementary suppressions`);
    expect(bytes).toBeLessThan(400_000);
  });

  it('escapes analyst and data text and has no inline script or style', () => {
    const html = new TextDecoder().decode(files['index.html']);
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect([...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0])).toEqual(['<script src="data.js" defer>', '<script src="assets/briefing.js" defer>']);
    expect(html).not.toMatch(/<[^>]*\sstyle=|<style|<[^>]*\son[a-z]+=/i);
    expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;/);
    expect(html).not.toMatch(/https?:\/\//);
    expect(new TextDecoder().decode(files['assets/briefing.js'])).not.toMatch(/innerHTML|fetch\(|XMLHttpRequest/);
  });

  it('every published count equals an independent recount, and no count under k is shown', async () => {
    const data = publishedData(files);
    // Sensitive calls: the matcher on each call's own fields, then plain SQL over call ids.
    const all = toRows(await db.query(sql`SELECT call_id, type_code, type_text, initial_type_text FROM calls`));
    const match = sensitiveMatcher(categories);
    const order = categories.map((c) => c.id);
    const categoryOf = new Map<string, string>();
    for (const r of all) {
      const ids = match({ code: r.type_code as string | null, text: r.type_text as string | null, initialText: r.initial_type_text as string | null });
      if (ids.length) categoryOf.set(String(r.call_id), order.find((o) => ids.includes(o))!);
    }
    await db.query('CREATE OR REPLACE TABLE test_sensitive (call_id VARCHAR, category VARCHAR)');
    const entries = [...categoryOf];
    for (let i = 0; i < entries.length; i += 500) {
      const chunk = entries.slice(i, i + 500);
      await db.query(sql`INSERT INTO test_sensitive SELECT unnest(${sql`[${inListBody(chunk.map((e) => e[0]))}]`}), unnest(${sql`[${inListBody(chunk.map((e) => e[1]))}]`})`);
    }
    const tierOf = (col: string) => `CASE upper(trim(${col})) ${Object.entries(config.tierMap as Record<string, { tier: number }>).map(([c, t]) => `WHEN '${c}' THEN '${t.tier}'`).join(' ')} ELSE 'unknown' END`;
    const pub = (start: string, end: string) => `(SELECT * FROM calls WHERE call_id NOT IN (SELECT call_id FROM test_sensitive) AND received_at >= TIMESTAMP '${start}' AND received_at < TIMESTAMP '${end}')`;
    const cur = pub(model.current.start, model.current.end);
    const prev = pub(model.previous.start, model.previous.end);
    const counts = async (q: string) => new Map(toRows(await db.query(q)).map((r) => [`${r.r}|${r.c}`, Number(r.n)]));
    const areaKey = "coalesce(area_id, 'none')";
    const outcomes = data.tables.tierOutcome.cols.map((c) => c.key).filter((k) => k !== 'other' && k !== 'none');
    const outcomeKey = `CASE WHEN nullif(upper(trim(disposition)), '') IS NULL THEN 'none' WHEN upper(trim(disposition)) IN (${outcomes.map((o) => `'${o.replaceAll("'", "''")}'`).join(', ') || "''"}) THEN upper(trim(disposition)) ELSE 'other' END`;
    const ext = toRows(await db.query('SELECT median(lon) AS lon, median(lat) AS lat FROM calls WHERE lon IS NOT NULL AND lat IS NOT NULL AND isfinite(lon) AND isfinite(lat)'))[0]!;
    const g = squareGridSpec(Number(ext.lon), Number(ext.lat), model.map.cellMeters);
    const located = 'lon IS NOT NULL AND lat IS NOT NULL AND isfinite(lon) AND isfinite(lat)';
    const cellKey = `CASE WHEN ${located} THEN 'g:' || CAST(floor((lon - ${g.originLon}::DOUBLE) * ${g.metersPerDegreeLon}::DOUBLE / ${g.cellMeters}::DOUBLE) AS INTEGER) || ':' || CAST(floor((lat - ${g.originLat}::DOUBLE) * ${g.metersPerDegreeLat}::DOUBLE / ${g.cellMeters}::DOUBLE) AS INTEGER) ELSE 'none' END`;
    const weekKey = (start: string) => `'w' || lpad(CAST(CAST(floor(date_diff('day', DATE '${start}', CAST(received_at AS DATE)) / 7) AS INTEGER) + 1 AS VARCHAR), 2, '0')`;
    const sens = `(SELECT c.*, s.category FROM calls c JOIN test_sensitive s USING (call_id) WHERE received_at >= TIMESTAMP '${model.previous.start}' AND received_at < TIMESTAMP '${model.current.end}')`;
    const recount: Record<string, Map<string, number>> = {
      areaTier: await counts(`SELECT ${areaKey} AS r, ${tierOf('type_code')} AS c, count(*) AS n FROM ${cur} GROUP BY ALL`),
      areaTierPrevious: await counts(`SELECT ${areaKey} AS r, ${tierOf('type_code')} AS c, count(*) AS n FROM ${prev} GROUP BY ALL`),
      tierOutcome: await counts(`SELECT ${tierOf('type_code')} AS r, ${outcomeKey} AS c, count(*) AS n FROM ${cur} GROUP BY ALL`),
      hourOfWeek: await counts(`SELECT CAST(isodow(received_at) - 1 AS VARCHAR) AS r, CAST(hour(received_at) AS VARCHAR) AS c, count(*) AS n FROM ${cur} GROUP BY ALL`),
      weeks: await counts(`SELECT ${weekKey(model.current.start)} AS r, 'calls' AS c, count(*) AS n FROM ${cur} GROUP BY ALL`),
      weeksPrevious: await counts(`SELECT ${weekKey(model.previous.start)} AS r, 'calls' AS c, count(*) AS n FROM ${prev} GROUP BY ALL`),
      cells: await counts(`SELECT ${cellKey} AS r, 'calls' AS c, count(*) AS n FROM ${cur} GROUP BY ALL`),
      sensitiveMonths: await counts(`SELECT strftime(received_at, '%Y-%m') AS r, 'sensitive' AS c, count(*) AS n FROM ${sens} GROUP BY ALL`),
    };
    let checked = 0;
    let hidden = 0;
    for (const [name, expected] of Object.entries(recount)) {
      const t = data.tables[name as keyof BriefingModel['tables']];
      const get = (r?: string, c?: string) => [...expected].filter(([key]) => (r === undefined || key.split('|')[0] === r) && (c === undefined || key.split('|')[1] === c)).reduce((a, [, n]) => a + n, 0);
      const check = (published: number | null, truth: number, where: string) => {
        if (published === null) {
          hidden++;
          return;
        }
        checked++;
        expect(published, `${name} ${where}`).toBe(truth);
        expect(truth === 0 || truth >= model.k, `${name} ${where} shows a count under k`).toBe(true);
      };
      for (const [i, r] of t.rows.entries()) {
        for (const [j, c] of t.cols.entries()) check(t.cells[i]![j]!, get(r.key, c.key), `[${r.key}, ${c.key}]`);
        if (t.rowTotals) check(t.rowTotals[i]!, get(r.key), `row ${r.key}`);
      }
      if (t.colTotals) for (const [j, c] of t.cols.entries()) check(t.colTotals[j]!, get(undefined, c.key), `column ${c.key}`);
      check(t.grandTotal, get(), 'total');
      // Nothing counted falls outside the published rows and columns.
      expect(get(), `${name}: every counted call is in a published row`).toBe(t.rows.reduce((a, r) => a + get(r.key), 0));
    }
    const byCat = new Map<string, number>();
    for (const r of toRows(await db.query(`SELECT category, count(*) AS n FROM ${sens} GROUP BY ALL`))) byCat.set(String(r.category), Number(r.n));
    for (const c of data.sensitive.categories) if (c.removed !== null) expect(c.removed, c.id).toBe(byCat.get(c.id) ?? 0);
    for (const f of data.headline) if (f.current !== null && f.previous !== null) expect(f.change).toBe(f.current - f.previous);
    console.log(`demo briefing recount: ${checked} published values equal the recount, ${hidden} hidden`);
    expect(checked).toBeGreaterThan(500);
  });

  it('shows the planted downtown hotspot and keeps the sensitive types out of every table', () => {
    expect(model.hotspots.hot).toBeGreaterThan(0);
    expect(model.map.cells.some((c) => c.class === 'hot-99' && c.area === 'Downtown')).toBe(true);
    const html = new TextDecoder().decode(files['index.html']);
    for (const label of ['DOMESTIC DISTURBANCE', 'SEXUAL ASSAULT', 'OVERDOSE', 'MENTAL HEALTH CRISIS']) expect(html).not.toContain(label);
    expect(model.sensitive.total).toBeGreaterThan(1000);
    expect(model.rotation?.rows.length).toBeGreaterThan(0);
  });
});

function inListBody(values: string[]) {
  // `[?, ?, …]` list literal with every value as a parameter.
  const list = inList(values);
  return new Sql(list.text.slice(1, -1), list.params);
}
