/** Test-side reader for the New Orleans neighbourhood polygons (load-geo.ts is a teammate's). */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { area } from '@turf/turf';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import type { AreaFeature } from '../src/data/types';

export function readNolaAreas(dir: string): AreaFeature[] {
  const fc = JSON.parse(readFileSync(path.join(dir, 'nola_neighborhood_statistical_areas.geojson'), 'utf8')) as FeatureCollection<Polygon | MultiPolygon>;
  return fc.features.map((f: Feature<Polygon | MultiPolygon>) => ({
    id: String(f.id),
    name: String(f.properties?.GNOCDC_LAB),
    geometry: f.geometry,
    areaKm2: area(f) / 1e6,
    properties: f.properties ?? {},
  }));
}

/** Stage a CSV the way the loaders' contract says: all VARCHAR + _source_file, _source_line. */
export async function stageCsvForTest(
  db: import('../src/data/db-types').Db,
  file: { name: string; bytes: Uint8Array },
  o: { table: string; append: boolean },
): Promise<import('../src/data/types').FileImportReport> {
  const { ident, sql } = await import('../src/data/sql');
  const { scalar, toRows } = await import('../src/data/rows');
  await db.registerFile(file.name, file.bytes);
  const select = sql`SELECT *, ${file.name} AS _source_file, CAST(row_number() OVER () + 1 AS BIGINT) AS _source_line FROM read_csv(${file.name}, all_varchar = true, header = true)`;
  if (o.append) await db.query(sql`INSERT INTO ${ident(o.table)} BY NAME ${select}`);
  else await db.query(sql`CREATE OR REPLACE TABLE ${ident(o.table)} AS ${select}`);
  const n = scalar(await db.query(sql`SELECT count(*) FROM ${ident(o.table)} WHERE _source_file = ${file.name}`));
  const cols = toRows(await db.query(sql`SELECT column_name FROM information_schema.columns WHERE table_name = ${o.table} ORDER BY ordinal_position`))
    .map((r) => String(r.column_name))
    .filter((c) => !c.startsWith('_source_'));
  return { file: file.name, format: 'csv', bytes: file.bytes.length, inputRows: n, stagedRows: n, rejected: [], encoding: 'utf-8', warnings: [], columns: cols };
}
