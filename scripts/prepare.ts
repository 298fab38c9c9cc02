/**
 * npm run prepare-archive -- --out DIR [--memory-limit 2GB] [--temp-dir DIR] [--cell-meters 250] FILE...
 *
 * Past one laptop: native DuckDB (@duckdb/node-api) turns a multi-year call archive (CSV or
 * Parquet, larger than memory) into
 *   DIR/calls/year=YYYY/month=M/*.parquet   canonical columns, one folder per month (hive)
 *   DIR/cubes/daily_cells.parquet           counts by (day, hour, dow, type, grid cell)
 *   DIR/cubes/daily_types.parquet           counts by (day, type) — the time series and type bars
 *   DIR/manifest.json                       partitions with row counts, files and bytes, date span,
 *                                           grid spec, rows without a readable received time
 * The app opens DIR as a folder and loads only the months of a chosen date range
 * (src/data/archive-manifest.ts reads the manifest, src/state/archive-import.ts the files).
 * Out-of-core: DuckDB spills to --temp-dir above --memory-limit, so the archive never has to
 * fit in RAM. Column names default to the demo export (call_received, longitude, …); pass
 * --received/--lon/--lat/--type/--type-code/--id for another layout.
 */
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';
import { squareGridSpec } from '../src/analysis/binning';

export interface PrepareOptions {
  inputs: string[];
  outDir: string;
  memoryLimit?: string;
  tempDir?: string;
  threads?: number;
  cellMeters?: number;
  columns?: Partial<Record<'id' | 'received' | 'lon' | 'lat' | 'type' | 'typeCode', string>>;
  log?: (s: string) => void;
}

export interface PrepareResult {
  rows: number;
  /** rows read from the inputs; inputRows - rows had no readable received time and are in no partition */
  inputRows: number;
  droppedRows: number;
  partitions: { year: number; month: number; rows: number; bytes: number; files: { path: string; bytes: number }[] }[];
  span: { start: string; end: string };
  timingsMs: { partition: number; cubes: number; total: number };
  outBytes: number;
  cubeRows: { dailyCells: number; dailyTypes: number };
}

const lit = (s: string) => `'${s.replaceAll("'", "''")}'`;
const q = (s: string) => `"${s.replaceAll('"', '""')}"`;

function dirBytes(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) n += e.isDirectory() ? dirBytes(path.join(dir, e.name)) : statSync(path.join(dir, e.name)).size;
  return n;
}

export async function prepareArchive(o: PrepareOptions): Promise<PrepareResult> {
  if (o.inputs.length === 0) throw new Error('No input files. Pass one or more CSV or Parquet files of calls after the options.');
  const c = { id: 'incident_number', received: 'call_received', lon: 'longitude', lat: 'latitude', type: 'call_type', typeCode: 'call_type_code', ...o.columns };
  const kinds = new Set(o.inputs.map((f) => (/\.parquet$/i.test(f) ? 'parquet' : 'csv')));
  if (kinds.size > 1) throw new Error('Mixed CSV and Parquet inputs: prepare them in two runs into two output folders.');
  const list = `[${o.inputs.map((f) => lit(path.resolve(f))).join(', ')}]`;
  const source = kinds.has('parquet') ? `read_parquet(${list}, union_by_name = true)` : `read_csv(${list}, header = true, union_by_name = true)`;
  const tempDir = o.tempDir ?? path.join(o.outDir, '.duckdb-tmp');
  rmSync(path.join(o.outDir, 'calls'), { recursive: true, force: true });
  mkdirSync(path.join(o.outDir, 'cubes'), { recursive: true });
  mkdirSync(tempDir, { recursive: true });
  const instance = await DuckDBInstance.create(':memory:', {
    memory_limit: o.memoryLimit ?? '2GB',
    temp_directory: tempDir,
    threads: String(o.threads ?? 2),
    // Partitioned writes keep one open file per partition; insertion order is not needed.
    preserve_insertion_order: 'false',
  });
  const conn = await instance.connect();
  const t0 = performance.now();
  try {
    const recv = `TRY_CAST(${q(c.received)} AS TIMESTAMP)`;
    // A view, not a table: DuckDB streams the archive through it once per output.
    await conn.run(`CREATE VIEW src AS SELECT * EXCLUDE (${q(c.received)}), ${recv} AS received_at,
        year(${recv}) AS year, month(${recv}) AS month
      FROM ${source} WHERE ${recv} IS NOT NULL`);
    o.log?.('writing year/month partitions…');
    await conn.run(`COPY (SELECT * FROM src) TO ${lit(path.join(o.outDir, 'calls'))}
      (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (year, month), OVERWRITE_OR_IGNORE true, FILENAME_PATTERN 'part-{i}')`);
    const tPartition = performance.now() - t0;
    // Counted apart (one more pass over the inputs; free for Parquet, whose footers hold the
    // count) so the manifest accounts for every input row, like the app's quality report.
    const [input] = (await conn.runAndReadAll(`SELECT count(*)::DOUBLE AS n FROM ${source}`)).getRowObjects();
    const inputRows = Number(input?.n ?? 0);
    const parts = `read_parquet(${lit(path.join(o.outDir, 'calls/*/*/*.parquet'))}, hive_partitioning = true)`;
    const [centre] = (await conn.runAndReadAll(`SELECT avg(${q(c.lon)})::DOUBLE AS lon, avg(${q(c.lat)})::DOUBLE AS lat FROM ${parts}
      WHERE ${q(c.lon)} IS NOT NULL AND ${q(c.lat)} IS NOT NULL AND ${q(c.lon)} <> 0`)).getRowObjects();
    const cellMeters = o.cellMeters ?? 250;
    const spec = squareGridSpec(Number(centre?.lon ?? 0), Number(centre?.lat ?? 0), cellMeters);
    o.log?.('writing cubes…');
    const t1 = performance.now();
    // The same cell arithmetic as src/data/queries/cells.ts, so the app's cells line up.
    const col = `CAST(floor((${q(c.lon)} - ${spec.originLon}) * ${spec.metersPerDegreeLon} / ${cellMeters}) AS INTEGER)`;
    const row = `CAST(floor((${q(c.lat)} - ${spec.originLat}) * ${spec.metersPerDegreeLat} / ${cellMeters}) AS INTEGER)`;
    await conn.run(`COPY (SELECT CAST(received_at AS DATE) AS day, CAST(hour(received_at) AS TINYINT) AS hour,
        CAST(isodow(received_at) - 1 AS TINYINT) AS dow, ${q(c.typeCode)}::VARCHAR AS type_code, ${q(c.type)}::VARCHAR AS type_text,
        CASE WHEN ${q(c.lon)} IS NULL OR ${q(c.lon)} = 0 THEN NULL ELSE ${col} END AS cell_col,
        CASE WHEN ${q(c.lat)} IS NULL OR ${q(c.lat)} = 0 THEN NULL ELSE ${row} END AS cell_row, count(*)::INTEGER AS n
      FROM ${parts} GROUP BY ALL ORDER BY day, hour) TO ${lit(path.join(o.outDir, 'cubes/daily_cells.parquet'))} (FORMAT parquet, COMPRESSION zstd)`);
    await conn.run(`COPY (SELECT CAST(received_at AS DATE) AS day, ${q(c.typeCode)}::VARCHAR AS type_code, ${q(c.type)}::VARCHAR AS type_text, count(*)::INTEGER AS n
      FROM ${parts} GROUP BY ALL ORDER BY day) TO ${lit(path.join(o.outDir, 'cubes/daily_types.parquet'))} (FORMAT parquet, COMPRESSION zstd)`);
    const tCubes = performance.now() - t1;
    const partitions = (await conn.runAndReadAll(`SELECT year::INTEGER AS year, month::INTEGER AS month, count(*)::DOUBLE AS n FROM ${parts} GROUP BY ALL ORDER BY ALL`))
      .getRowObjects()
      .map((r) => {
        const year = Number(r.year);
        const month = Number(r.month);
        const rel = `calls/year=${year}/month=${month}`;
        const files = readdirSync(path.join(o.outDir, rel))
          .filter((f) => f.endsWith('.parquet'))
          .sort()
          .map((f) => ({ path: `${rel}/${f}`, bytes: statSync(path.join(o.outDir, rel, f)).size }));
        return { year, month, rows: Number(r.n), bytes: files.reduce((n, f) => n + f.bytes, 0), files };
      });
    const [span] = (await conn.runAndReadAll(`SELECT strftime(min(received_at), '%Y-%m-%d') AS s, strftime(max(received_at), '%Y-%m-%d') AS e FROM ${parts}`)).getRowObjects();
    const count = async (f: string) => Number((await conn.runAndReadAll(`SELECT count(*)::DOUBLE AS n FROM read_parquet(${lit(path.join(o.outDir, f))})`)).getRowObjects()[0]?.n);
    const rows = partitions.reduce((n, p) => n + p.rows, 0);
    const result: PrepareResult = {
      rows,
      inputRows,
      droppedRows: inputRows - rows,
      partitions,
      span: { start: String(span?.s), end: String(span?.e) },
      timingsMs: { partition: Math.round(tPartition), cubes: Math.round(tCubes), total: Math.round(performance.now() - t0) },
      outBytes: 0,
      cubeRows: { dailyCells: await count('cubes/daily_cells.parquet'), dailyTypes: await count('cubes/daily_types.parquet') },
    };
    result.outBytes = dirBytes(path.join(o.outDir, 'calls')) + dirBytes(path.join(o.outDir, 'cubes'));
    const manifest = { version: 1, createdAt: new Date().toISOString(), sources: o.inputs.map((f) => path.basename(f)), columns: c, grid: { ...spec, cellMeters }, ...result };
    writeFileSync(path.join(o.outDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    return result;
  } finally {
    conn.closeSync();
    instance.closeSync();
    rmSync(tempDir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      'memory-limit': { type: 'string', default: '2GB' },
      'temp-dir': { type: 'string' },
      'cell-meters': { type: 'string', default: '250' },
      received: { type: 'string' },
      lon: { type: 'string' },
      lat: { type: 'string' },
      type: { type: 'string' },
      'type-code': { type: 'string' },
      id: { type: 'string' },
    },
  });
  if (!values.out) {
    console.error('--out DIR is required: the folder that will hold calls/year=…/month=…/ and cubes/.');
    process.exit(2);
  }
  const columns = Object.fromEntries(
    Object.entries({ received: values.received, lon: values.lon, lat: values.lat, type: values.type, typeCode: values['type-code'], id: values.id }).filter(([, v]) => v),
  );
  prepareArchive({
    inputs: positionals,
    outDir: values.out,
    memoryLimit: values['memory-limit'],
    ...(values['temp-dir'] ? { tempDir: values['temp-dir'] } : {}),
    cellMeters: Number(values['cell-meters']),
    columns,
    log: (s) => console.log(s),
  }).then(
    (r) => console.log(`${r.rows.toLocaleString('en-US')} calls${r.droppedRows ? ` (${r.droppedRows.toLocaleString('en-US')} more had no readable received time and were left out)` : ''}, ${r.partitions.length} month partitions (${r.span.start} to ${r.span.end}) in ${(r.timingsMs.total / 1000).toFixed(1)} s → ${values.out}`),
    (e: unknown) => {
      console.error(`prepare-archive failed: ${e instanceof Error ? e.message : String(e)}`);
      process.exit(1);
    },
  );
}
