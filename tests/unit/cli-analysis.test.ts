import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../scripts/analyze';
import { parseExclusions } from '../../scripts/cli/analysis-flags';
import { parseAnalyzeArgs } from '../../scripts/cli/args';
import { haversineMeters } from '../../src/analysis/local-projection';
import { demoReady } from './demo-city';

const run = promisify(execFile);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const tsx = path.join(root, 'node_modules/.bin/tsx');
const demo = path.join(root, 'data/demo');

describe('analysis flags', () => {
  it('fill every parameter with its default and take the analyst values', () => {
    const a = parseAnalyzeArgs(['x.csv', '--hotspots', '--grid', 'h3', '--cell-meters', '150', '--knn', '8', '--windows', '20-02,06-14', '--types', 'loitering, trespass', '--seed', '9']);
    expect(a.analysis!.selection).toEqual({ hotspots: true, clusters: false, emerging: false, knox: false, transit: false });
    expect(a.analysis!.params.hotspots).toEqual({ grid: 'h3', cellMeters: 150, neighbours: { kind: 'knn', k: 8 }, studyArea: 'areas' });
    expect(a.analysis!.params.clusters).toEqual({ types: ['loitering', 'trespass'], windows: ['20-02', '06-14'], radiusMeters: 75, minCalls: 6 });
    expect(a.analysis!.params.seed).toBe(9);
    expect(a.analysis!.params.iterations).toBe(999);
    expect(parseAnalyzeArgs(['x.csv']).analysis).toBeUndefined();
  });

  it('refuse contradictory or malformed values with a sentence', () => {
    expect(() => parseAnalyzeArgs(['x.csv', '--hotspots', '--knn', '8', '--band-meters', '300'])).toThrow(/either --band-meters or --knn/);
    expect(() => parseAnalyzeArgs(['x.csv', '--hotspots', '--grid', 'hex'])).toThrow(/--grid must be one of square, h3/);
    expect(() => parseAnalyzeArgs(['x.csv', '--clusters', '--windows', '8pm-2am'])).toThrow(/is not an hour window/);
    expect(() => parseAnalyzeArgs(['x.csv', '--hotspots', '--cell-meters', 'big'])).toThrow(/--cell-meters needs a number/);
    expect(() => parseAnalyzeArgs(['x.csv', '--clusters', '--min-calls', '1'])).toThrow(/at least 2 calls/);
    expect(() => parseExclusions('x.json', '{"kind":"point"}')).toThrow(/x.json must hold a list/);
    expect(() => parseExclusions('x.json', '[{"kind":"point","id":"a","lon":-89.6,"lat":35.4,"radiusMeters":9000}]')).toThrow(/radius must be 0–5000 m/);
  });
});

describe.skipIf(!demoReady)('npm run analyze with analyses on the demo city', () => {
  it('prints one JSON object with parameters, hotspot cells, clusters, emerging categories, Knox and transit', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'callsight-cli-'));
    const exclude = path.join(dir, 'exclude.json');
    writeFileSync(exclude, JSON.stringify([{ kind: 'point', id: 'hq', label: 'Delmar St address', lon: -89.62233, lat: 35.422869, radiusMeters: 30 }]));
    const args = [
      'scripts/analyze.ts', path.join(demo, 'calls.parquet'), '--stops', path.join(demo, 'gtfs'),
      '--hotspots', '--clusters', '--emerging', '--knox', '--transit', '--knox-types', 'BURGR', '--iterations', '49', '--exclude', exclude, '--json',
    ];
    const { stdout } = await run(tsx, args, { cwd: root, maxBuffer: 256 * 1024 * 1024 });
    const out = JSON.parse(stdout);
    const a = out.analysis;
    expect(a.parameters).toMatchObject({
      hotspots: { grid: 'square', cellMeters: 250, neighbours: { kind: 'band' }, studyArea: 'areas' },
      clusters: { windows: ['20-02'], radiusMeters: 75, minCalls: 6 },
      knox: { types: ['BURGR'], spaceBreaksMeters: [0, 100, 200, 400] },
      transit: { nearHubMeters: 150, minRoutes: 4 },
      seed: 1,
      iterations: 49,
    });
    expect(a.exclusions.counts[0]).toMatchObject({ id: 'hq', label: 'Delmar St address' });
    expect(a.exclusions.counts[0].excluded).toBeGreaterThan(50);
    const cell = a.hotspots.cells[0];
    expect(Object.keys(cell)).toEqual(expect.arrayContaining(['id', 'center', 'count', 'z', 'p', 'q', 'class']));
    expect(a.hotspots.parameters.neighboursUsed).toEqual({ kind: 'band', bandMeters: 375 });
    expect(a.hotspots.summary.calls).toBe(a.exclusions.analysed);
    const h1 = a.clusters.clusters.find((c: { nearHub: boolean; nearestHub: { name: string } | null }) => c.nearHub && c.nearestHub?.name === 'Downtown Transit Center');
    expect(h1.windowId).toBe('20-02');
    expect(Object.keys(h1)).toEqual(expect.arrayContaining(['hull', 'centroid', 'distinctNights', 'addresses', 'peakHours', 'nearestStop', 'nearestHub']));
    expect(a.emerging.categories['no-pattern']).toBeGreaterThan(0);
    expect(a.knox.rows.length).toBe(20);
    expect(a.transit.routesInferredFromShapes).toBe(true);
    expect(a.transit.hubs.some((h: { lon: number; lat: number }) => haversineMeters(h.lon, h.lat, -89.599559, 35.450362) < 150)).toBe(true);
  }, 400_000);

  it('says what is missing instead of failing: --transit without a GTFS feed', async () => {
    await expect(
      analyze({ ...parseAnalyzeArgs([path.join(demo, 'calls.parquet'), '--transit']), json: true }),
    ).rejects.toThrow(/--transit needs a GTFS feed: add --stops/);
  }, 200_000);
});
