import type { Db } from '../data/db-types';
import { scalar } from '../data/rows';
import { ident, sql } from '../data/sql';
import type { CallPoints } from './session-store';

/**
 * The map's points, straight from DuckDB as Float64 columns. Rows without a usable
 * location stay in `calls` (flagged) and are counted, but there is nothing to draw for them.
 */
export async function queryCallPoints(db: Db, table = 'calls'): Promise<{ points: CallPoints; total: number }> {
  const total = scalar(await db.query(sql`SELECT count(*) FROM ${ident(table)}`));
  const result = await db.query(sql`
    SELECT lon::DOUBLE AS lon, lat::DOUBLE AS lat FROM ${ident(table)}
    WHERE lon IS NOT NULL AND lat IS NOT NULL
      AND isfinite(lon) AND isfinite(lat)
      AND lon BETWEEN -180 AND 180 AND lat BETWEEN -90 AND 90
      AND NOT (lon = 0 AND lat = 0)`);
  const lon = result.getChild('lon')?.toArray() as Float64Array | undefined;
  const lat = result.getChild('lat')?.toArray() as Float64Array | undefined;
  const n = result.numRows;
  const positions = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    positions[2 * i] = lon![i]!;
    positions[2 * i + 1] = lat![i]!;
  }
  return { points: { positions, length: n }, total };
}
