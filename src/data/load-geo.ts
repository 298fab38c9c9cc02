import { area as turfArea, bbox as turfBbox, booleanClockwise, rewind } from '@turf/turf';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import type { Db } from './db-types';
import { ImportError } from './errors';
import { splitAtAntimeridian } from './geo-antimeridian';
import { coordinateRangeProblem, type Position, polygonProblem } from './geo-validate';
import { pickIdProperty, pickNameProperty } from './geo-naming';
import { inList, join, sql } from './sql';
import type { AreaFeature } from './types';

/**
 * Area polygons (neighbourhoods, districts, beats) from GeoJSON. Pure JS + Turf, so the map
 * can show areas before DuckDB has started. Unusable features are skipped and counted, never
 * dropped silently; whole-file problems throw an ImportError.
 */
export interface LoadedAreas {
  areas: AreaFeature[];
  warnings: string[];
  /** property the names came from (null: generated "Area N") */
  nameProperty: string | null;
  /** property (or 'id' for the Feature id member) the ids came from (null: sequence numbers) */
  idProperty: string | null;
}

const HALF_EARTH_M2 = 2.55e14;
const GEOMETRY_TYPES = ['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon', 'GeometryCollection'];

export function loadAreas(file: { name: string; bytes: Uint8Array }, options: { nameProperty?: string; idProperty?: string } = {}): LoadedAreas {
  const root = parseJson(file.name, file.bytes);
  const features = rootFeatures(file.name, root);
  const warnings: string[] = [];
  const skipped = new Map<string, number>();
  const skip = (why: string) => skipped.set(why, (skipped.get(why) ?? 0) + 1);
  const notes = new Set<string>();
  const kept: { feature: Feature<Polygon | MultiPolygon>; index: number }[] = [];

  for (const [index, f] of features.entries()) {
    if (!isObject(f) || f.type !== 'Feature') {
      skip('are not GeoJSON Feature objects');
      continue;
    }
    const g = f.geometry;
    if (g === null || g === undefined) {
      skip('have no geometry');
      continue;
    }
    if (!isObject(g) || typeof g.type !== 'string' || !GEOMETRY_TYPES.includes(g.type)) {
      skip('have an unknown geometry type');
      continue;
    }
    if (g.type !== 'Polygon' && g.type !== 'MultiPolygon') {
      skip(`are ${g.type === 'GeometryCollection' ? 'geometry collections' : `${g.type}s`}, not areas`);
      continue;
    }
    const problem = polygonProblem(g.type, g.coordinates, notes);
    if (problem) {
      skip(`have invalid polygons (${problem})`);
      continue;
    }
    const properties = isObject(f.properties) ? f.properties : {};
    kept.push({ feature: { type: 'Feature', id: f.id as string | number | undefined, properties, geometry: g as unknown as Polygon | MultiPolygon }, index });
  }

  for (const [why, n] of skipped) warnings.push(`${n} of ${features.length} feature(s) ${why} and were skipped.`);
  if (kept.length === 0) {
    throw new ImportError(
      file.name,
      `contains no usable Polygon or MultiPolygon areas (${features.length} feature(s) checked${warnings.length ? `: ${warnings.join(' ')}` : ''}).`,
      'Choose a GeoJSON file of area boundaries (neighbourhoods, districts or beats), exported in WGS 84.',
    );
  }
  const rangeProblem = coordinateRangeProblem(allPositions(kept.map((k) => k.feature.geometry)));
  if (rangeProblem) {
    throw new ImportError(file.name, rangeProblem, 'Re-export the layer in WGS 84 longitude/latitude (EPSG:4326), e.g. `ogr2ogr -t_srs EPSG:4326 out.geojson in.shp`.');
  }
  if (notes.has('unclosed')) warnings.push('Some polygon rings were not closed (first and last corner differ); they were closed by repeating the first corner.');

  const props = kept.map((k) => k.feature.properties ?? {});
  const nameProperty = options.nameProperty ?? pickNameProperty(props);
  const idProperty = options.idProperty ?? pickIdProperty(kept.map((k) => k.feature), nameProperty);
  checkChosenProperty(file.name, 'name', options.nameProperty, props);

  let rewound = 0;
  let split = 0;
  let poles = 0;
  const areas: AreaFeature[] = [];
  const usedIds = new Map<string, number>();
  for (const { feature, index } of kept) {
    const result = splitAtAntimeridian(feature.geometry);
    if ('enclosesPole' in result) {
      poles++;
      continue;
    }
    // More than half the Earth means an inside-out ring or one around both poles, never a city area.
    if (turfArea(result.geometry) > HALF_EARTH_M2) {
      poles++;
      continue;
    }
    if (result.split) split++;
    if (hasWrongWinding(result.geometry)) rewound++;
    const geometry = rewind(result.geometry, { mutate: false }) as Polygon | MultiPolygon;
    const rawName = nameProperty ? feature.properties?.[nameProperty] : undefined;
    const name = rawName === undefined || rawName === null || rawName === '' ? `Area ${index + 1}` : String(rawName);
    const baseId = idProperty === 'id' && feature.id !== undefined ? String(feature.id) : idProperty ? String(feature.properties?.[idProperty] ?? index + 1) : String(index + 1);
    const seen = usedIds.get(baseId) ?? 0;
    usedIds.set(baseId, seen + 1);
    const id = seen === 0 ? baseId : `${baseId}-${seen + 1}`;
    areas.push({ id, name, geometry, areaKm2: turfArea(geometry) / 1e6, properties: feature.properties ?? {} });
  }
  const duplicates = [...usedIds].filter(([, n]) => n > 1);
  if (duplicates.length > 0) {
    warnings.push(`${duplicates.length} area id(s) occur more than once (e.g. "${duplicates[0]![0]}"); repeats were given suffixes like "-2". Choose a unique id property if these are different areas.`);
  }
  if (rewound > 0) {
    warnings.push(`${rewound} area(s) had rings in the wrong direction (outer rings must run counter-clockwise, holes clockwise: RFC 7946's right-hand rule); they were rewound. Areas and point-in-polygon tests do not change.`);
  }
  if (split > 0) warnings.push(`${split} area(s) cross the ±180° meridian and were cut into parts on either side so that area and point-in-polygon stay correct.`);
  if (poles > 0) warnings.push(`${poles} area(s) wind around a pole or cover more than half the Earth and were skipped: Callsight cannot measure polygons that enclose a pole.`);
  if (areas.length === 0) {
    throw new ImportError(file.name, `has no areas Callsight can use: ${warnings.join(' ')}`, 'Choose a GeoJSON file of city area boundaries in WGS 84.');
  }
  if (!nameProperty) warnings.push('No property holds a unique text name for every area, so areas are named "Area 1", "Area 2", …; choose a name property to fix this.');
  return { areas, warnings, nameProperty, idProperty };
}

function parseJson(name: string, bytes: Uint8Array): unknown {
  const text = new TextDecoder('utf-8').decode(bytes);
  try {
    return JSON.parse(text);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const at = /position (\d+)/.exec(message);
    let where = '';
    if (at) {
      const before = text.slice(0, Number(at[1]));
      const line = before.split('\n').length;
      where = ` at line ${line}, column ${Number(at[1]) - before.lastIndexOf('\n')}`;
    }
    throw new ImportError(name, `is not valid JSON${where} (${message.replace(/ in JSON at position \d+.*$/, '')}).`, 'Open it in a text editor or re-export it from your GIS as GeoJSON.');
  }
}

function rootFeatures(name: string, root: unknown): unknown[] {
  const fail = (problem: string) => new ImportError(name, problem, 'Export the layer from your GIS as a GeoJSON FeatureCollection in WGS 84.');
  if (!isObject(root)) throw fail('is JSON but not a GeoJSON object (the top level must be an object with a "type").');
  const type = root.type;
  if (typeof type !== 'string') throw fail(type === undefined ? 'has no "type" member, so it is not GeoJSON.' : 'has a "type" member that is not a string.');
  if (type === 'FeatureCollection') {
    if (!Array.isArray(root.features)) throw fail(`is a FeatureCollection whose "features" member is ${root.features === undefined ? 'missing' : 'not an array'}.`);
    return root.features;
  }
  if (type === 'Feature') return [root];
  if (type === 'GeometryCollection' && Array.isArray(root.geometries)) return root.geometries.map((geometry) => ({ type: 'Feature', properties: {}, geometry }));
  if (GEOMETRY_TYPES.includes(type)) return [{ type: 'Feature', properties: {}, geometry: root }];
  const known = ['FeatureCollection', 'Feature', ...GEOMETRY_TYPES].find((t) => t.toLowerCase() === type.toLowerCase());
  throw fail(known ? `has type "${type}", but GeoJSON type names are case-sensitive: it must be "${known}".` : `has the unknown GeoJSON type "${type}".`);
}

function checkChosenProperty(name: string, what: string, chosen: string | undefined, props: Record<string, unknown>[]): void {
  if (chosen === undefined || props.some((p) => chosen in p)) return;
  const available = [...new Set(props.flatMap((p) => Object.keys(p)))].slice(0, 12).join(', ');
  throw new ImportError(name, `has no property \`${chosen}\` to take the area ${what} from (available: ${available || 'none'}).`, `Pick one of the available properties as the ${what}.`);
}

function hasWrongWinding(g: Polygon | MultiPolygon): boolean {
  const polygons = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  return polygons.some((rings) => rings.some((ring, i) => booleanClockwise(ring) !== (i > 0)));
}

function* allPositions(geometries: (Polygon | MultiPolygon)[]): Generator<Position> {
  for (const g of geometries) {
    const polygons = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
    for (const rings of polygons) for (const ring of rings) yield* ring;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Table `areas` for the SQL side (area assignment, per-area rates). Replaces any earlier table. */
export async function storeAreas(db: Db, areas: AreaFeature[]): Promise<void> {
  await db.query('DROP TABLE IF EXISTS areas');
  await db.query(
    'CREATE TABLE areas (area_id VARCHAR PRIMARY KEY, name VARCHAR, area_km2 DOUBLE, geojson VARCHAR, min_lon DOUBLE, min_lat DOUBLE, max_lon DOUBLE, max_lat DOUBLE)',
  );
  // Batches keep each prepared statement well under parameter limits.
  for (let i = 0; i < areas.length; i += 200) {
    const rows = areas.slice(i, i + 200).map((a) => {
      const [minLon, minLat, maxLon, maxLat] = turfBbox(a.geometry);
      return sql`${inList([a.id, a.name, a.areaKm2, JSON.stringify(a.geometry), minLon!, minLat!, maxLon!, maxLat!])}`;
    });
    await db.query(sql`INSERT INTO areas VALUES ${join(rows, ', ')}`);
  }
}
