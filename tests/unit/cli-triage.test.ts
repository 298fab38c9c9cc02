/**
 * `npm run analyze -- <file> --tiers --outcomes --equity [--tier-map f] [--json]` on the real
 * New Orleans file: the sections' numbers are recomputed here in SQL straight from the raw CSV
 * (first row per item_number, the NOPD tier preset applied by a JS reference), not via the
 * queries under test.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../scripts/analyze';
import { extractTriageFlags } from '../../scripts/cli/triage-flags';
import { assignTier, type Tier } from '../../src/analysis/tiers';
import type { Db } from '../../src/data/db-types';
import preset from '../../src/data/presets/tiers-nopd.json';
import { toRows } from '../../src/data/rows';
import { parseTierMap } from '../../src/data/tier-map';
import type { equitySection, outcomesSection, tiersSection } from '../../src/state/triage-report';
import { newOrleansDir, openTestDb, skipReason } from '../engine';

const run = promisify(execFile);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const tsx = path.join(root, 'node_modules/.bin/tsx');
const nola = newOrleansDir();
const NOPD = parseTierMap(preset);

type Json = {
  tierMap: { source: string; note: string };
  tiers: Awaited<ReturnType<typeof tiersSection>>;
  outcomes: Awaited<ReturnType<typeof outcomesSection>>;
  equity: Awaited<ReturnType<typeof equitySection>>;
};

describe('triage flags', () => {
  it('are taken out of argv before the shared parser; --tier-map needs a section', () => {
    expect(extractTriageFlags(['a.csv', '--tiers', '--tier-map', 'm.json', '--json'])).toEqual({
      rest: ['a.csv', '--json'],
      flags: { tiers: true, outcomes: false, equity: false, tierMap: 'm.json' },
    });
    expect(extractTriageFlags(['a.csv', '--json']).flags).toBeNull();
    expect(() => extractTriageFlags(['a.csv', '--tier-map', 'm.json'])).toThrow(/--tiers, --outcomes or --equity/);
    expect(() => extractTriageFlags(['a.csv', '--tiers', '--tier-map'])).toThrow(/needs a file/);
  });
});

describe.skipIf(!nola)(`analyze --tiers --outcomes --equity on New Orleans ${skipReason('New Orleans data', nola) ?? ''}`, () => {
  let json: Json;
  let db: Db;
  beforeAll(async () => {
    const dir = nola!;
    const out = await analyze(
      { files: [path.join(dir, 'nopd_cfs_2022_rtcc_subset.csv')], areas: path.join(dir, 'nola_neighborhood_statistical_areas.geojson'), json: true, help: false },
      { tiers: true, outcomes: true, equity: true },
    );
    json = out.json as unknown as Json;
    db = await openTestDb();
    await db.registerFile('raw.csv', new Uint8Array(readFileSync(path.join(dir, 'nopd_cfs_2022_rtcc_subset.csv'))));
    await db.query(`CREATE TABLE first_rows AS SELECT * FROM (SELECT *, row_number() OVER () AS _line FROM read_csv('raw.csv', all_varchar = true, header = true))
      QUALIFY row_number() OVER (PARTITION BY item_number ORDER BY _line) = 1`);
  }, 120_000);
  afterAll(async () => db?.close());

  it('picks the built-in NOPD tier map and its audit equals a JS recount of the raw rows', async () => {
    expect(json.tierMap.source).toBe('preset');
    const raw = toRows(await db.query(`SELECT "Type" t, "TypeText" tt, "Priority" p, "InitialType" it, "InitialTypeText" itt, "InitialPriority" ip, "TimeCreate" tc FROM first_rows`));
    let under = 0;
    let severe = 0;
    let known = 0;
    const byHour = new Map<number, number>();
    for (const r of raw) {
      const f = assignTier(NOPD, { typeCode: r.t as string, typeText: r.tt as string, priority: r.p as string });
      const i = assignTier(NOPD, { typeCode: r.it as string, typeText: r.itt as string, priority: r.ip as string }) as Tier | null;
      if (f === null || i === null) continue;
      known++;
      if (i < f) {
        under++;
        const hour = Number(/ (\d+):/.exec(r.tc as string)![1]);
        byHour.set(hour, (byHour.get(hour) ?? 0) + 1);
      }
      if (i === 1 && f === 3) severe++;
    }
    expect(json.tiers.audit.bothKnown).toBe(known);
    expect(json.tiers.audit.underTriage.count).toBe(under);
    expect(json.tiers.audit.severeUnderTriage.count).toBe(severe);
    for (const g of json.tiers.concentrations.hour.groups) expect(g.count).toBe(byHour.get(Number(g.key)) ?? 0);
    expect(json.tiers.underTriaged.total).toBe(under);
    expect(json.tiers.underTriaged.list.length).toBe(Math.min(100, under));
    const mix = json.tiers.mix.byTier.reduce((s, m) => s + m.n, 0);
    expect(mix).toBe(raw.length);
  });

  it('dispositions and arrival medians equal SQL over the raw first rows', async () => {
    const disp = new Map(toRows(await db.query(`SELECT upper(trim("Disposition")) d, count(*)::INTEGER n FROM first_rows GROUP BY 1`)).map((r) => [r.d, r.n]));
    expect(new Map(json.outcomes.dispositions.all!.items.map((i) => [i.disposition, i.n]))).toEqual(disp);
    const [arr] = toRows(
      await db.query(`WITH m AS (SELECT date_diff('second', strptime("TimeCreate", '%m/%d/%Y %H:%M'), strptime(nullif("TimeArrive", ''), '%m/%d/%Y %H:%M')) / 60.0 AS x FROM first_rows)
        SELECT count(*)::INTEGER n, median(x)::DOUBLE med, quantile_cont(x, 0.9)::DOUBLE p90 FROM m WHERE x BETWEEN 0 AND 1440`),
    );
    const city = json.equity.response.find((r) => r.measure === 'arrive' && r.grouping === 'all')!;
    expect({ n: city.valid, med: city.medianMinutes, p90: city.p90Minutes }).toEqual({ n: arr!.n, med: arr!.med, p90: arr!.p90 });
    // Long-wait counts: calls above the city p90 per neighbourhood add up to ~10% of the valid ones.
    const above = json.equity.longWaits.areas.reduce((s, a) => s + a.above, 0);
    const [byRaw] = toRows(
      await db.query(`WITH m AS (SELECT date_diff('second', strptime("TimeCreate", '%m/%d/%Y %H:%M'), strptime(nullif("TimeArrive", ''), '%m/%d/%Y %H:%M')) / 60.0 AS x,
          "Location" loc FROM first_rows)
        SELECT count_if(x > ${arr!.p90})::INTEGER n FROM m WHERE x BETWEEN 0 AND 1440 AND loc <> 'POINT (0 0)'`),
    );
    expect(above).toBe(byRaw!.n);
    // The RTCC subset has no channel column.
    expect(json.equity.channel.hasData).toBe(false);
    const self = json.equity.initiation.reduce((s, a) => s + a.calls, 0);
    expect(self).toBe(6528);
  });

  it('--tier-map file is used and named; without a preset match the map is suggested and says so; stdout is one JSON object', async () => {
    const tmp = mkdtempSync(path.join(tmpdir(), 'callsight-tiers-'));
    const mapFile = path.join(tmp, 'all-level-2.json');
    writeFileSync(mapFile, JSON.stringify({ version: 1, default: 2, rules: [{ typeCode: '34S', tier: 3 }] }));
    const csv = path.join(root, 'data/demo/calls-sample.csv');
    const ok = await run(tsx, ['scripts/analyze.ts', csv, '--tiers', '--tier-map', mapFile, '--json'], { cwd: root });
    const parsed = JSON.parse(ok.stdout);
    expect(parsed.tierMap.source).toBe('file');
    expect(parsed.tiers.audit.total).toBe(parsed.rows.loaded - parsed.rows.duplicates);
    const copy = path.join(tmp, 'calls.csv');
    writeFileSync(copy, readFileSync(csv));
    const suggested = await run(tsx, ['scripts/analyze.ts', copy, '--tiers'], { cwd: root });
    expect(suggested.stdout).toMatch(/suggested from type texts and priorities, please review/);
    // In process: an unreadable --tier-map is an analyst-facing ImportError (exit code 1 in main).
    await expect(analyze({ files: [csv], json: true, help: false }, { tiers: true, outcomes: false, equity: false, tierMap: path.join(tmp, 'nope.json') })).rejects.toThrow(
      /nope\.json: cannot be read \(ENOENT\)\. Check the path of --tier-map\./,
    );
  }, 180_000);
});
