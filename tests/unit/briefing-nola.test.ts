/**
 * Council briefing on real data: New Orleans 2022 (NOPD calls, RTCC subset) with the 72
 * neighbourhood areas. Few calls per square, so most of the map is suppressed: the scan and
 * the recount matter most here. Skips without the shared data pack.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/data/db-types';
import { importDataset } from '../../src/data/import-dataset';
import { loadAreas } from '../../src/data/load-geo';
import nopdTiers from '../../src/data/presets/tiers-nopd.json';
import { toRows } from '../../src/data/rows';
import { sql } from '../../src/data/sql';
import { parseTierMap } from '../../src/data/tier-map';
import { type BriefingModel, buildBriefingModel, renderBriefing, totalBytes } from '../../src/export/briefing';
import { DEFAULT_SENSITIVE_CATEGORIES, sensitiveMatcher } from '../../src/export/sensitive-types';
import { newOrleansDir, openTestDb, skipReason } from '../engine';
import { publishedData, scanForLeaks } from './briefing-scan';

const dir = newOrleansDir();
skipReason('New Orleans data pack', dir);

describe.skipIf(!dir)('council briefing on New Orleans 2022 (real data)', () => {
  let db: Db;
  let model: BriefingModel;
  let files: Record<string, Uint8Array>;

  beforeAll(async () => {
    db = await openTestDb();
    const areas = loadAreas({ name: 'nsa.geojson', bytes: new Uint8Array(readFileSync(path.join(dir!, 'nola_neighborhood_statistical_areas.geojson'))) }).areas;
    const imp = await importDataset(db, [{ name: 'nopd.csv', bytes: new Uint8Array(readFileSync(path.join(dir!, 'nopd_cfs_2022_rtcc_subset.csv'))) }], { areas });
    const t0 = performance.now();
    model = await buildBriefingModel(db, {
      narrative: { title: 'RTCC-requested calls, third quarter 2022', summary: '', paragraphs: [], notes: '' },
      areas,
      tierMap: parseTierMap(nopdTiers, 'tiers-nopd.json'),
      quality: imp.report,
      place: 'New Orleans (test data)',
      rotation: null,
      publishedOn: '2022-12-01',
    });
    files = renderBriefing(model);
    console.log(`NOLA briefing: model in ${Math.round(performance.now() - t0)} ms, ${totalBytes(files).toLocaleString('en-US')} bytes, ${model.disclosure.primary} primary + ${model.disclosure.secondary} complementary suppressions`);
  }, 300_000);
  afterAll(async () => db?.close());

  it('compares Q3 with Q2 2022 and leaks no item number, block address or coordinate', async () => {
    expect([model.current.start, model.current.end, model.previous.start]).toEqual(['2022-07-01', '2022-10-01', '2022-04-01']);
    const leaks = await scanForLeaks(db, files);
    expect(leaks.scanned.ids).toBe(6528);
    expect(leaks.found).toEqual([]);
  });

  it('area and headline counts equal an independent recount; nothing under k is shown', async () => {
    const data = publishedData(files);
    const match = sensitiveMatcher(DEFAULT_SENSITIVE_CATEGORIES);
    const rows = toRows(await db.query(sql`SELECT call_id, area_id, strftime(received_at, '%Y-%m-%d') AS day, type_code, type_text, initial_type_text FROM calls`));
    const count = (start: string, end: string) => {
      const byArea = new Map<string, number>();
      for (const r of rows) {
        if (!r.day || String(r.day) < start || String(r.day) >= end) continue;
        if (match({ code: r.type_code as string, text: r.type_text as string, initialText: r.initial_type_text as string }).length) continue;
        const key = r.area_id === null ? 'none' : String(r.area_id);
        byArea.set(key, (byArea.get(key) ?? 0) + 1);
      }
      return byArea;
    };
    const cur = count(model.current.start, model.current.end);
    const prev = count(model.previous.start, model.previous.end);
    let shown = 0;
    for (const f of data.areaChange) {
      for (const [v, truth] of [[f.current, cur.get(f.key) ?? 0], [f.previous, prev.get(f.key) ?? 0]] as const) {
        if (v === null) continue;
        shown++;
        expect(v, f.key).toBe(truth);
        expect(truth === 0 || truth >= model.k).toBe(true);
      }
    }
    expect(data.headline[0]!.current).toBe([...cur.values()].reduce((a, b) => a + b, 0));
    expect(shown).toBeGreaterThan(50);
    for (const t of Object.values(data.tables)) for (const row of t.cells) for (const v of row) if (v !== null) expect(v === 0 || v >= model.k).toBe(true);
  });
});
