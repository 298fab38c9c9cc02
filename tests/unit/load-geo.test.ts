import { readFileSync } from 'node:fs';
import path from 'node:path';
import { area, booleanPointInPolygon, point } from '@turf/turf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/data/db-types';
import { isImportError } from '../../src/data/errors';
import { loadAreas, storeAreas } from '../../src/data/load-geo';
import { toRows } from '../../src/data/rows';
import { newOrleansDir, openTestDb, skipReason } from '../engine';

const json = (name: string, value: unknown) => ({ name, bytes: new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value)) });
const square = (x: number, y: number, d: number) => [[[x, y], [x, y + d], [x + d, y + d], [x + d, y], [x, y]]]; // clockwise on purpose
const feature = (properties: Record<string, unknown>, coordinates: unknown, type = 'Polygon', id?: unknown) => ({ type: 'Feature', id, properties, geometry: { type, coordinates } });

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
}

describe('loadAreas', () => {
  it('picks a unique text name and id, rewinds, skips non-areas with a count, computes km² with Turf', () => {
    const fc = {
      type: 'FeatureCollection',
      features: [
        feature({ OBJECTID: 7, BEAT: '1A', Shape_Area: 999, kind: 'x' }, square(-90.1, 29.9, 0.01)),
        feature({ OBJECTID: 8, BEAT: '1B', Shape_Area: 999, kind: 'x' }, square(-90.09, 29.9, 0.01)),
        { type: 'Feature', properties: { BEAT: 'P' }, geometry: { type: 'Point', coordinates: [-90, 29.9] } },
        { type: 'Feature', properties: { BEAT: 'N' }, geometry: null },
      ],
    };
    const r = loadAreas(json('beats.geojson', fc));
    expect(r.nameProperty).toBe('BEAT');
    expect(r.idProperty).toBe('OBJECTID');
    expect(r.areas.map((a) => [a.id, a.name])).toEqual([['7', '1A'], ['8', '1B']]);
    const expectedKm2 = area({ type: 'Polygon', coordinates: square(-90.1, 29.9, 0.01) }) / 1e6;
    expect(r.areas[0]!.areaKm2).toBeCloseTo(expectedKm2, 9);
    expect(r.areas[0]!.areaKm2).toBeGreaterThan(1.0);
    expect(r.areas[0]!.areaKm2).toBeLessThan(1.2);
    const w = r.warnings.join('\n');
    expect(w).toMatch(/1 of 4 feature\(s\) are Points, not areas and were skipped/);
    expect(w).toMatch(/1 of 4 feature\(s\) have no geometry/);
    expect(w).toMatch(/2 area\(s\) had rings in the wrong direction/);
    // RFC 7946: exterior ring counter-clockwise after rewinding (positive shoelace sum).
    const ring = (r.areas[0]!.geometry.coordinates[0] as number[][]).slice(0, -1);
    const signed = ring.reduce((s, p, i) => s + (p[0]! * ring[(i + 1) % ring.length]![1]! - ring[(i + 1) % ring.length]![0]! * p[1]!), 0);
    expect(signed).toBeGreaterThan(0);
  });

  it('makes duplicate ids unique and says so; honours chosen properties', () => {
    const fc = { type: 'FeatureCollection', features: [feature({ n: 'A' }, square(0, 0, 1), 'Polygon', 1), feature({ n: 'B' }, square(2, 0, 1), 'Polygon', 1)] };
    const r = loadAreas(json('dups.geojson', fc));
    expect(r.areas.map((a) => a.id)).toEqual(['A', 'B']);
    const forced = loadAreas(json('dups.geojson', fc), { idProperty: 'id', nameProperty: 'n' });
    expect(forced.areas.map((a) => a.id)).toEqual(['1', '1-2']);
    expect(forced.warnings.join(' ')).toMatch(/1 area id\(s\) occur more than once \(e\.g\. "1"\)/);
    expect(thrown(() => loadAreas(json('dups.geojson', fc), { nameProperty: 'NAME' })).message).toMatch(/no property `NAME`.*available: n/);
  });

  it('gives the position of invalid JSON and names projected or swapped coordinates', () => {
    const e = thrown(() => loadAreas(json('broken.geojson', '{\n  "type": "FeatureCollection",\n  "features": [\n    {"type": "Feature" "x": 1}\n  ]\n}')));
    expect(isImportError(e)).toBe(true);
    expect(e.message).toMatch(/^broken\.geojson: is not valid JSON at line 4, column \d+/);
    const projected = { type: 'FeatureCollection', features: [feature({}, square(3_680_000, 530_000, 1000))] };
    expect(thrown(() => loadAreas(json('stateplane.geojson', projected))).message).toMatch(/look projected.*ogr2ogr -t_srs EPSG:4326/);
    const swapped = { type: 'FeatureCollection', features: [feature({}, [[[29.9, -90.1], [29.9, -90.0], [30.0, -90.0], [29.9, -90.1]]])] };
    expect(thrown(() => loadAreas(json('swapped.geojson', swapped))).message).toMatch(/swapped/);
    expect(thrown(() => loadAreas(json('case.geojson', { type: 'featurecollection', features: [] }))).message).toMatch(/case-sensitive.*"FeatureCollection"/);
  });

  it('cuts an antimeridian-crossing area so area and point-in-polygon stay right', () => {
    // Fiji-like: 177°E to 178°W written with a jump across ±180.
    const crossing = feature({ name: 'Crossing' }, [[[177, -18], [-178, -18], [-178, -16], [177, -16], [177, -18]]]);
    const r = loadAreas(json('fiji.geojson', { type: 'FeatureCollection', features: [crossing] }));
    const a = r.areas[0]!;
    expect(a.geometry.type).toBe('MultiPolygon');
    const unsplitKm2 = area({ type: 'Polygon', coordinates: [[[177, -18], [182, -18], [182, -16], [177, -16], [177, -18]]] }) / 1e6;
    expect(a.areaKm2).toBeCloseTo(unsplitKm2, 3);
    expect(booleanPointInPolygon(point([179.5, -17]), a.geometry)).toBe(true);
    expect(booleanPointInPolygon(point([-179.5, -17]), a.geometry)).toBe(true);
    expect(booleanPointInPolygon(point([0, -17]), a.geometry)).toBe(false);
    expect(r.warnings.join(' ')).toMatch(/cross the ±180° meridian/);
  });
});

const dir = newOrleansDir();
describe.skipIf(!dir)('New Orleans neighbourhood statistical areas (real file)', () => {
  skipReason('New Orleans data pack', dir);
  let db: Db;
  beforeAll(async () => {
    db = await openTestDb();
  });
  afterAll(async () => db?.close());

  it('loads 72 areas named from GNOCDC_LAB with true km², and stores them', async () => {
    const bytes = new Uint8Array(readFileSync(path.join(dir!, 'nola_neighborhood_statistical_areas.geojson')));
    const t0 = performance.now();
    const r = loadAreas({ name: 'nola.geojson', bytes });
    console.info(`NOLA areas loaded in ${(performance.now() - t0).toFixed(0)} ms`);
    expect(r.areas).toHaveLength(72);
    expect(r.nameProperty).toBe('GNOCDC_LAB');
    expect(r.idProperty).toBe('id');
    expect(r.warnings).toEqual([]);
    expect(r.areas.map((a) => a.name)).toContain('ST.  ANTHONY');
    expect(new Set(r.areas.map((a) => a.id)).size).toBe(72);
    // Shape_Area is Web-Mercator m², inflated by ~1/cos²(30°) ≈ 1.33 (README): ours must not be.
    for (const a of r.areas) expect(Number(a.properties.Shape_Area) / 1e6 / a.areaKm2).toBeGreaterThan(1.25);
    const total = r.areas.reduce((s, a) => s + a.areaKm2, 0);
    expect(total).toBeGreaterThan(400);
    expect(total).toBeLessThan(700);

    await storeAreas(db, r.areas);
    const rows = toRows(await db.query(`SELECT count(*) AS n, min(min_lon) AS w, max(max_lat) AS n_lat, sum(area_km2) AS km2, max(length(geojson)) > 100 AS has_geo FROM areas`));
    expect(rows[0]!.n).toBe(72);
    expect(rows[0]!.w).toBeCloseTo(-90.14, 2);
    expect(rows[0]!.n_lat).toBeCloseTo(30.1748, 3);
    expect(rows[0]!.km2).toBeCloseTo(total, 6);
    expect(rows[0]!.has_geo).toBe(true);
    const anthony = toRows(await db.query(`SELECT name FROM areas WHERE name LIKE 'ST.%ANTHONY'`));
    expect(anthony).toEqual([{ name: 'ST.  ANTHONY' }]);
  });
});
