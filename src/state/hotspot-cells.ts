import type { Polygon } from 'geojson';
import { bhAdjust } from '../analysis/fdr';
import { giBin, giStar } from '../analysis/gi-star';
import { squareCellId, squareCellPolygon, squareGridSpec } from '../analysis/binning';
import { distanceBand } from '../analysis/weights';
import { dashboardWhere } from '../data/queries/dashboard-where';
import type { Db } from '../data/db-types';
import { toRows } from '../data/rows';
import { sql } from '../data/sql';
import type { DashboardFilters } from './dashboard-filters';

/**
 * Gi* hot and cold spots on a square grid for the filtered calls (methods.md §1–2): binary
 * distance-band weights with self, BH-adjusted q, ArcGIS-style ±1..3 confidence classes. The
 * study region is every cell with at least one call in the whole dataset, so filtering to a
 * type or an hour never changes which cells are compared, only their counts.
 * (Runs on the main thread until the analysis worker lands; ~10k cells take a few ms.)
 */
export interface HotspotCell {
  id: string;
  polygon: Polygon;
  n: number;
  z: number;
  p: number;
  q: number;
  /** -3..3: sign = hot/cold, magnitude = confidence 90/95/99 % after FDR */
  bin: number;
  bounds: [number, number, number, number];
}

export interface HotspotOptions {
  cellMeters?: number;
  bandMeters?: number;
}

export async function hotspotCells(db: Db, f: DashboardFilters, o: HotspotOptions = {}): Promise<{ cells: HotspotCell[]; cellMeters: number; bandMeters: number }> {
  const cellMeters = o.cellMeters ?? 250;
  const bandMeters = o.bandMeters ?? 2 * cellMeters;
  const [centre] = toRows(await db.query('SELECT avg(lon) AS lon, avg(lat) AS lat FROM calls WHERE lon IS NOT NULL AND lat IS NOT NULL'));
  if (!centre || centre.lon == null) return { cells: [], cellMeters, bandMeters };
  const spec = squareGridSpec(Number(centre.lon), Number(centre.lat), cellMeters);
  const col = sql`CAST(floor((lon - ${spec.originLon}) * ${spec.metersPerDegreeLon} / ${cellMeters}) AS INTEGER)`;
  const row = sql`CAST(floor((lat - ${spec.originLat}) * ${spec.metersPerDegreeLat} / ${cellMeters}) AS INTEGER)`;
  const rows = toRows(
    await db.query(sql`SELECT ${col} AS col, ${row} AS row, count(*) FILTER (WHERE ${dashboardWhere(f)}) AS n
      FROM calls WHERE lon IS NOT NULL AND lat IS NOT NULL GROUP BY ALL ORDER BY col, row`),
  );
  if (rows.length < 3) return { cells: [], cellMeters, bandMeters };
  const xs = Float64Array.from(rows, (r) => (Number(r.col) + 0.5) * cellMeters);
  const ys = Float64Array.from(rows, (r) => (Number(r.row) + 0.5) * cellMeters);
  const values = Float64Array.from(rows, (r) => Number(r.n));
  const gi = giStar(values, distanceBand(xs, ys, bandMeters));
  // NaN p (no variation) counts as "not significant" in the adjustment.
  const q = bhAdjust(gi.map((g) => (Number.isFinite(g.p) ? g.p : 1)));
  return {
    cellMeters,
    bandMeters,
    cells: rows.map((r, i) => {
      const polygon = squareCellPolygon(spec, Number(r.col), Number(r.row));
      const ring = polygon.coordinates[0]!;
      return {
        id: squareCellId(Number(r.col), Number(r.row)),
        polygon,
        n: values[i]!,
        z: gi[i]!.z,
        p: gi[i]!.p,
        q: q[i]!,
        bin: giBin(gi[i]!.z, q[i]!),
        bounds: [ring[0]![0]!, ring[0]![1]!, ring[2]![0]!, ring[2]![1]!],
      };
    }),
  };
}
