/**
 * The native reference: the same file and the same SQL in native DuckDB (@duckdb/node-api)
 * in the same run, so every browser figure has a ratio that does not depend on how busy the
 * shared machine was that minute (both sides feel the same neighbours).
 */
import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import type { CapturedQuery } from './browser';
import type { BenchDataset } from './generate';

const lit = (s: string) => `'${s.replaceAll("'", "''")}'`;

export interface NativeSession {
  conn: DuckDBConnection;
  version: string;
  close(): void;
}

/** Two threads like the browser tab could get at best here; memory like one tab's 4 GB. */
export async function openNative(o: { threads?: number; memoryLimit?: string } = {}): Promise<NativeSession> {
  const instance = await DuckDBInstance.create(':memory:', { threads: String(o.threads ?? 2), memory_limit: o.memoryLimit ?? '4GB' });
  const conn = await instance.connect();
  const [v] = (await conn.runAndReadAll('SELECT version() AS v')).getRowObjects();
  return {
    conn,
    version: String(v?.v),
    close: () => {
      conn.closeSync();
      instance.closeSync();
    },
  };
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

export interface NativeLoad {
  /** file → raw table (DuckDB's reader alone) */
  readMs: number;
  /** raw → canonical `calls` (types, geo flags, hour/dow, de-duplication, time order) */
  canonicalMs: number;
  totalMs: number;
  calls: number;
}

/**
 * Loads the bench file and builds a canonical `calls` table with the columns and rules of
 * src/data/schema.ts buildCalls. Areas come from the generator's truth (native DuckDB here
 * has no spatial extension; the app assigns them from polygons, which this twin skips).
 */
export async function nativeLoad(n: NativeSession, d: BenchDataset, format: 'csv' | 'parquet'): Promise<NativeLoad> {
  const { conn } = n;
  const reader = format === 'csv' ? `read_csv(${lit(d.csv)}, header = true)` : `read_parquet(${lit(d.parquet)})`;
  const readMs = await timed(() => conn.run(`CREATE OR REPLACE TABLE raw_calls AS SELECT *, row_number() OVER () AS _row FROM ${reader}`));
  const canonicalMs = await timed(async () => {
    await conn.run(`CREATE OR REPLACE TEMP TABLE area_truth AS SELECT DISTINCT ON (incident_number) * FROM read_parquet(${lit(d.areasByRow)})`);
    await conn.run(`CREATE OR REPLACE TABLE calls AS
      SELECT r.incident_number AS call_id, CAST(call_received AS TIMESTAMP) AS received_at, CAST(dispatched AS TIMESTAMP) AS dispatched_at,
        CAST(on_scene AS TIMESTAMP) AS arrived_at, CAST(cleared AS TIMESTAMP) AS closed_at,
        CASE WHEN longitude IS NOT NULL AND latitude IS NOT NULL AND NOT (longitude = 0 AND latitude = 0) THEN longitude::DOUBLE END AS lon,
        CASE WHEN longitude IS NOT NULL AND latitude IS NOT NULL AND NOT (longitude = 0 AND latitude = 0) THEN latitude::DOUBLE END AS lat,
        call_type_code::VARCHAR AS type_code, call_type::VARCHAR AS type_text, initial_call_type_code::VARCHAR AS initial_type_code, initial_call_type::VARCHAR AS initial_type_text,
        initial_priority::VARCHAR AS initial_priority, priority::VARCHAR AS priority, disposition::VARCHAR AS disposition,
        call_source::VARCHAR AS channel, district::VARCHAR AS district, beat::VARCHAR AS beat, block_address::VARCHAR AS block_address,
        officer_initiated = 'Y' AS self_initiated,
        CASE WHEN longitude IS NULL OR latitude IS NULL THEN 'missing' WHEN longitude = 0 AND latitude = 0 THEN 'zero' ELSE 'ok' END AS geo_quality,
        CAST(hour(CAST(call_received AS TIMESTAMP)) AS INTEGER) AS hour, CAST(isodow(CAST(call_received AS TIMESTAMP)) - 1 AS INTEGER) AS dow,
        a.area_id, a.area_name, _row
      FROM raw_calls r LEFT JOIN area_truth a ON a.incident_number = r.incident_number
      QUALIFY row_number() OVER (PARTITION BY r.incident_number ORDER BY _row) = 1
      ORDER BY received_at, _row`);
  });
  const [c] = (await conn.runAndReadAll('SELECT count(*)::DOUBLE AS n FROM calls')).getRowObjects();
  return { readMs, canonicalMs, totalMs: readMs + canonicalMs, calls: Number(c?.n) };
}

/** The app's `areas` table as far as the view SQL reads it (id, name, km²). */
export async function nativeAreas(n: NativeSession, rows: readonly Record<string, unknown>[]): Promise<void> {
  await n.conn.run('CREATE OR REPLACE TABLE areas (area_id VARCHAR PRIMARY KEY, name VARCHAR, area_km2 DOUBLE)');
  for (const r of rows) await n.conn.run('INSERT INTO areas VALUES (?, ?, ?)', [String(r.area_id), String(r.name ?? ''), Number(r.area_km2)]);
}

export interface Replayed extends CapturedQuery {
  nativeMs: number;
  nativeRows: number;
}

/** Runs each captured statement with its parameters; rows are materialised like the app's Arrow result. */
export async function replay(n: NativeSession, captured: readonly CapturedQuery[]): Promise<Replayed[]> {
  const out: Replayed[] = [];
  for (const q of captured) {
    const t = performance.now();
    const r = await n.conn.runAndReadAll(q.text, q.params as DuckDBValue[]);
    const nativeMs = performance.now() - t;
    out.push({ ...q, nativeMs, nativeRows: r.currentRowCount });
  }
  return out;
}
