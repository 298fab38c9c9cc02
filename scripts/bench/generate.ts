/**
 * Benchmark datasets from the demo-city model: the seeded 50k-call city (scripts/demo) is
 * tiled in native DuckDB into N calls. Copy c of the city is moved back c × 13 weeks (91 days
 * keeps every weekday on its weekday) within `spanYears`, then nudged by up to ±20 minutes and
 * ±~110 m with an integer hash of (row, copy, seed), so copies never stack on one point and
 * the same seed always gives the same bytes. Hot spots, repeat clusters and hubs of the model
 * stay in place, at the density of a large city.
 */
import { existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { DEFAULT_SEED, generateModel } from '../demo/generate';
import { callsParquet } from '../demo/parquet';
import { benchCacheDir, sizeLabel } from './cache';

export interface BenchDataset {
  rows: number;
  csv: string;
  parquet: string;
  /** native-only Parquet with the model's true area per call (the app assigns areas from polygons) */
  areasByRow: string;
  csvBytes: number;
  parquetBytes: number;
  seed: number;
  spanYears: number;
}

const QUARTER_DAYS = 91;
const BASE_VERSION = 'bench-1';

async function ensureBase(dir: string, seed: number): Promise<{ parquet: string; areas: string; rows: number }> {
  const parquet = path.join(dir, `base-${seed}.parquet`);
  const areas = path.join(dir, `base-${seed}-areas.csv`);
  const meta = path.join(dir, `base-${seed}.json`);
  if (existsSync(parquet) && existsSync(areas) && existsSync(meta)) {
    const m = JSON.parse(readFileSync(meta, 'utf8')) as { version: string; rows: number };
    if (m.version === BASE_VERSION) return { parquet, areas, rows: m.rows };
  }
  const model = generateModel(seed);
  const names = new Map(model.city.areas.map((a) => [a.id, a.name]));
  writeFileSync(parquet, callsParquet(model.rows, { synthetic: 'true', dataset: 'Callsight benchmark base (synthetic demo city)', seed: String(seed) }));
  const lines = model.rows.map((r, i) => `${i},${r.areaId},"${(names.get(r.areaId) ?? r.areaId).replaceAll('"', '""')}"`);
  writeFileSync(areas, `rn,area_id,area_name\n${lines.join('\n')}\n`);
  writeFileSync(meta, JSON.stringify({ version: BASE_VERSION, rows: model.rows.length }));
  return { parquet, areas, rows: model.rows.length };
}

const lit = (s: string) => `'${s.replaceAll("'", "''")}'`;

/** Writes (or reuses) calls-<n>.csv and calls-<n>.parquet in the bench cache. */
export async function ensureDataset(rows: number, o: { seed?: number; spanYears?: number; dir?: string; log?: (s: string) => void } = {}): Promise<BenchDataset> {
  const seed = o.seed ?? DEFAULT_SEED;
  const spanYears = o.spanYears ?? 3;
  const dir = o.dir ?? benchCacheDir();
  const stem = path.join(dir, `calls-${sizeLabel(rows)}-s${seed}-y${spanYears}`);
  const out = { csv: `${stem}.csv`, parquet: `${stem}.parquet`, areasByRow: `${stem}-areas.parquet` };
  const done = `${stem}.done`;
  const stat = () => ({ csvBytes: statSync(out.csv).size, parquetBytes: statSync(out.parquet).size });
  if (existsSync(done)) return { rows, ...out, ...stat(), seed, spanYears };

  const base = await ensureBase(dir, seed);
  const copies = Math.ceil(rows / base.rows);
  const spanCopies = Math.max(1, Math.floor((spanYears * 365) / QUARTER_DAYS));
  o.log?.(`generating ${rows.toLocaleString('en-US')} calls (${copies} copies of the ${base.rows.toLocaleString('en-US')}-call demo city over ${spanYears} years)…`);
  const instance = await DuckDBInstance.create(':memory:', { threads: '2', memory_limit: '6GB', temp_directory: path.join(dir, 'duckdb-tmp') });
  const conn = await instance.connect();
  try {
    // Integer hashes, not random(): identical output for the same seed on any DuckDB build.
    const h = (a: number, b: number, m: number) => `((rn * ${a} + c * ${b} + ${seed % 100_003}) % ${m})`;
    await conn.run(`CREATE TEMP TABLE tiled AS
      WITH base AS (SELECT *, (row_number() OVER () - 1)::BIGINT AS rn FROM read_parquet(${lit(base.parquet)})),
      k AS (SELECT range::BIGINT AS c FROM range(${copies})),
      x AS (
        SELECT b.*, k.c,
          to_days(CAST((k.c % ${spanCopies}) * ${QUARTER_DAYS} AS INTEGER)) + to_minutes(CAST(CASE WHEN k.c = 0 THEN 0 ELSE ${h(7919, 104_729, 41)} - 20 END AS INTEGER)) AS shift,
          CASE WHEN k.c = 0 THEN 0 ELSE (${h(48_271, 16_807, 2001)} - 1000) / 1000.0 END AS jx,
          CASE WHEN k.c = 0 THEN 0 ELSE (${h(69_621, 40_692, 2001)} - 1000) / 1000.0 END AS jy
        FROM base b CROSS JOIN k)
      SELECT CASE WHEN c = 0 THEN incident_number ELSE incident_number || '-' || c::VARCHAR END AS incident_number,
        (call_received - shift)::TIMESTAMP_MS AS call_received, (dispatched - shift)::TIMESTAMP_MS AS dispatched,
        (on_scene - shift)::TIMESTAMP_MS AS on_scene, (cleared - shift)::TIMESTAMP_MS AS cleared,
        call_type_code, call_type, initial_call_type_code, initial_call_type, initial_priority, priority, disposition,
        officer_initiated, call_source, district, beat, block_address,
        CASE WHEN latitude IS NULL OR latitude = 0 THEN latitude ELSE round(latitude + jy * 0.001, 6) END AS latitude,
        CASE WHEN longitude IS NULL OR longitude = 0 THEN longitude ELSE round(longitude + jx * 0.0013, 6) END AS longitude,
        rn, c
      FROM x ORDER BY c, rn LIMIT ${rows}`);
    // CAD exports come in time order; ties broken by id for stable bytes.
    const ordered = `SELECT * EXCLUDE (rn, c) FROM tiled ORDER BY call_received, incident_number`;
    await conn.run(`COPY (${ordered}) TO ${lit(`${out.parquet}.tmp`)} (FORMAT parquet, COMPRESSION snappy, ROW_GROUP_SIZE 122880)`);
    await conn.run(`COPY (${ordered}) TO ${lit(`${out.csv}.tmp`)} (FORMAT csv, HEADER, TIMESTAMPFORMAT '%Y-%m-%d %H:%M:%S')`);
    await conn.run(`COPY (SELECT t.incident_number, a.area_id, a.area_name
        FROM tiled t JOIN read_csv(${lit(base.areas)}, types = {'rn': 'BIGINT', 'area_id': 'VARCHAR', 'area_name': 'VARCHAR'}) a USING (rn))
      TO ${lit(`${out.areasByRow}.tmp`)} (FORMAT parquet)`);
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
  for (const f of [out.parquet, out.csv, out.areasByRow]) renameSync(`${f}.tmp`, f);
  writeFileSync(done, new Date().toISOString());
  return { rows, ...out, ...stat(), seed, spanYears };
}
