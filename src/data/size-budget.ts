/**
 * How large a file this browser tab can load, decided from File.size before a single byte is
 * read: a file over the budget is refused with a sentence, never read in slices, so the tab
 * (and the dataset already loaded in it) survives.
 *
 * Where the memory goes while a file loads (measured with /tmp/scratch-style runs of
 * stageCsv + buildCalls on duckdb-wasm's node build, 100k demo-city calls, see the report in
 * the commit): the page holds the bytes once (the ArrayBuffer read from the File; the Blob
 * copy kept for "add to dataset" pages to disk), duckdb-wasm copies them into the wasm heap
 * once, and the engine then held the VARCHAR staging table, `raw_calls` and `calls` at the
 * same time: 6.9× the CSV size, 27.9× the (ZSTD) Parquet size. Since issue #8's import rework
 * (staging dropped once raw_calls exists, typed Parquet staging, raw_calls slimmed) the peak
 * is raw_calls + calls while `calls` is sorted: 4.0× CSV (100k calls), 16.5× Parquet (100k)
 * and 16.1× (1M), measured as the sum of duckdb_memory() after every statement of
 * importDataset (script in the issue #8 report). CSV keeps a margin for the stage copy.
 *
 * Since the compressed in-memory database (db-types DATABASE_SETTINGS) the Parquet factor is
 * the wasm heap's growth per file byte, the stricter measure (wasm memory never shrinks, and
 * duckdb_memory() does not see everything the heap holds): 1M bench calls (50.4 MB of Parquet)
 * grew the heap by 718 MB compressed, 14.2x, against 1,222 MB (24.2x) uncompressed, whose
 * duckdb_memory() peak of 16.1x the old factor 17 was based on. The peak is the sort that
 * builds `calls` (schema.ts); the loaded tables then take ~67 MB instead of ~574 MB. CSV's heap
 * growth was the same with and without compression (114 MB for 20.5 MB, 100k calls: its peak is
 * the staged text), so its factor is unchanged.
 *
 * Since buildCalls works in passes of ~1M rows (raw_calls per staged-row range, calls sorted per
 * received-time range), the engine's heap is roughly a fixed ~580 MB plus 2.7x the Parquet file
 * rather than proportional: 1M calls (50.4 MB) +718 MB, 5M calls (239 MB) +1,234 MB, and the 5M
 * import fits the tab's 2 GB memory_limit on duckdb-wasm's node build. The page's own copies (the
 * file bytes, parquet-wasm's copy of the whole file per batch, the dataset cache's export) live
 * outside the engine's limit, in the page and in parquet-wasm's own wasm memory. The factor is
 * 8 (a ~250 MB threshold): 5M calls need +1,234 MB, 5.2x the file, so 8 leaves ~50 % margin
 * on the engine's heap; `npm run bench -- --sizes 5m --formats parquet` loads that file in a tab
 * and reports its peak (README, Performance).
 */
export type SizedFormat = 'csv' | 'parquet' | 'geojson' | 'gtfs';

/** Engine bytes per file byte at the peak of an import (raw_calls + calls while sorting; see above). */
export const ENGINE_FACTOR: Record<SizedFormat, number> = { csv: 5, parquet: 8, geojson: 0, gtfs: 0 };
/**
 * JavaScript bytes per file byte: the read buffer, plus for GeoJSON/GTFS the parsed objects
 * (JSON.parse and row objects take several times the text; V8 strings are UTF-16).
 */
export const PAGE_FACTOR: Record<SizedFormat, number> = { csv: 1, parquet: 1, geojson: 8, gtfs: 6 };

/** db-browser.ts sets DuckDB's memory_limit to 2GB (decimal, as DuckDB reads it). */
export const ENGINE_LIMIT_BYTES = 2e9;
/** wasm32: 65,536 pages of 64 KiB is the most one WebAssembly memory can grow to. */
export const WASM32_MAX_BYTES = 4 * 1024 ** 3;
/** wasm code, DuckDB's own structures, Arrow results for the views and the previous dataset. */
export const WASM_RESERVE_BYTES = 768 * 1024 ** 2;
/** Without any signal from the browser, assume a 4 GiB machine (Firefox and Safari give none). */
export const DEFAULT_DEVICE_BYTES = 4 * 1024 ** 3;
/** A tab should not take more than this share of the machine's memory. */
export const DEVICE_SHARE = 0.5;

export interface MemorySignals {
  /** performance.memory.jsHeapSizeLimit (Chromium only) */
  jsHeapSizeLimitBytes?: number;
  /** navigator.deviceMemory in GiB (Chromium; rounded down and capped at 8 by the browser) */
  deviceMemoryGiB?: number;
  /** defaults to ENGINE_LIMIT_BYTES */
  engineLimitBytes?: number;
  /** defaults to WASM32_MAX_BYTES */
  wasmMaxBytes?: number;
}

export type BudgetLimit = 'engine' | 'wasm' | 'heap' | 'device';

export interface FileBudget {
  format: SizedFormat;
  maxBytes: number;
  /** which ceiling decides the budget, for the message */
  limitedBy: BudgetLimit;
  /** the memory that ceiling allows in total */
  memoryBytes: number;
  /** total bytes of memory per file byte under that ceiling */
  factor: number;
}

export type SizeCheck = { ok: true; budget: FileBudget } | { ok: false; budget: FileBudget; message: string };

/** Reads the signals from a window-like object; absent or odd values are left out. */
export function memorySignals(env: { performance?: unknown; navigator?: unknown }): MemorySignals {
  const out: MemorySignals = {};
  const heap = (env.performance as { memory?: { jsHeapSizeLimit?: unknown } } | undefined)?.memory?.jsHeapSizeLimit;
  if (typeof heap === 'number' && Number.isFinite(heap) && heap > 0) out.jsHeapSizeLimitBytes = heap;
  const device = (env.navigator as { deviceMemory?: unknown } | undefined)?.deviceMemory;
  if (typeof device === 'number' && Number.isFinite(device) && device > 0) out.deviceMemoryGiB = device;
  return out;
}

export function fileBudget(format: SizedFormat, signals: MemorySignals = {}): FileBudget {
  const page = PAGE_FACTOR[format];
  const engine = ENGINE_FACTOR[format];
  // The wasm heap holds the file copy and the engine's tables; the page holds its own copy too.
  const wasmPerByte = engine > 0 ? 1 + engine : 0;
  const devicePerByte = page + wasmPerByte;
  const deviceBytes = (signals.deviceMemoryGiB ? signals.deviceMemoryGiB * 1024 ** 3 : DEFAULT_DEVICE_BYTES) * DEVICE_SHARE;
  const candidates: { limitedBy: BudgetLimit; memoryBytes: number; factor: number }[] = [
    { limitedBy: 'device', memoryBytes: deviceBytes, factor: devicePerByte },
  ];
  if (engine > 0) {
    candidates.push({ limitedBy: 'engine', memoryBytes: signals.engineLimitBytes ?? ENGINE_LIMIT_BYTES, factor: engine });
    candidates.push({ limitedBy: 'wasm', memoryBytes: Math.max(0, (signals.wasmMaxBytes ?? WASM32_MAX_BYTES) - WASM_RESERVE_BYTES), factor: wasmPerByte });
  }
  if (signals.jsHeapSizeLimitBytes) candidates.push({ limitedBy: 'heap', memoryBytes: signals.jsHeapSizeLimitBytes, factor: page });
  let best = candidates[0]!;
  for (const c of candidates) if (c.memoryBytes / c.factor < best.memoryBytes / best.factor) best = c;
  return { format, maxBytes: Math.floor(best.memoryBytes / best.factor), ...best };
}

/** The format a file will load as, from its name (same rules as the import's file roles). */
export function sizedFormat(name: string): SizedFormat | null {
  const base = name.split(/[\\/]/).pop()!.toLowerCase();
  if (/\.parquet$/.test(base)) return 'parquet';
  if (/\.(geojson|json)$/.test(base)) return 'geojson';
  if (/^(stops|routes|trips|stop_times|shapes|calendar|calendar_dates|agency|frequencies|transfers|feed_info)\.txt$/.test(base)) return 'gtfs';
  if (/\.(csv|tsv|txt)$/.test(base)) return 'csv';
  return null;
}

export function checkFileSize(file: { name: string; size: number }, signals: MemorySignals = {}): SizeCheck | null {
  const format = sizedFormat(file.name);
  if (!format) return null;
  const budget = fileBudget(format, signals);
  if (file.size <= budget.maxBytes) return { ok: true, budget };
  return { ok: false, budget, message: tooLargeMessage(file, budget) };
}

const LIMIT_TEXT: Record<BudgetLimit, string> = {
  engine: 'the analysis engine in this tab can use',
  wasm: 'a browser tab can give the analysis engine (4 GB of WebAssembly memory)',
  heap: 'this browser lets a tab use for JavaScript',
  device: 'is safe for one tab on this computer',
};

const NEXT_STEP: Record<SizedFormat, string> = {
  csv: 'Export it as Parquet, or export a narrower date range or fewer columns, or run `npm run prepare-archive` on it and load a date range from the archive folder.',
  parquet: 'Export a narrower date range or fewer columns, or run `npm run prepare-archive` on it and load a date range from the archive folder.',
  geojson: 'Simplify the polygons (e.g. mapshaper -simplify 10%) or keep only the areas you analyse.',
  gtfs: 'Leave this file out (Callsight needs stops.txt, routes.txt, trips.txt and shapes.txt) or trim the feed to one service period.',
};

export function tooLargeMessage(file: { name: string; size: number }, budget: FileBudget): string {
  const per = budget.factor === 1 ? 'its own size' : `about ${formatFactor(budget.factor)}× its size`;
  return (
    `${file.name} is ${formatSize(file.size)}, more than this browser tab can load as ${budget.format === 'gtfs' ? 'GTFS' : budget.format.toUpperCase()} ` +
    `(up to about ${formatSize(budget.maxBytes)} here: loading takes ${per} in memory, and ${formatSize(budget.memoryBytes)} is what ${LIMIT_TEXT[budget.limitedBy]}). ` +
    `The file was not read. ${NEXT_STEP[budget.format]}`
  );
}

/**
 * Allocation failures as V8 and duckdb-wasm report them: an ArrayBuffer or typed array that
 * could not be allocated (RangeError), DuckDB's "Out of Memory Error", or emscripten's heap
 * refusing to grow. A wasm trap such as "memory access out of bounds" is left out on purpose:
 * it is an engine fault, not a size problem, and would mislead the analyst.
 */
export function isAllocationFailure(e: unknown): boolean {
  const name = (e as { name?: unknown } | null)?.name;
  const text = e instanceof Error ? e.message : typeof e === 'string' ? e : String((e as { message?: unknown } | null)?.message ?? '');
  if (name === 'RangeError' && /alloc|array (buffer )?length|typed array length|memory/i.test(text)) return true;
  return /out of memory|allocation failed|Aborted\(OOM\)|Cannot enlarge memory|could not allocate|failed to allocate/i.test(text);
}

export function allocationFailureMessage(names: string, totalBytes: number | null): string {
  const size = totalBytes === null ? '' : ` (${formatSize(totalBytes)})`;
  return (
    `${names}${size} needed more memory than this browser tab could give while loading. Close other tabs and try again, or load less at once: ` +
    'export it as Parquet or a narrower date range, or run `npm run prepare-archive` on it and load a date range from the archive folder.'
  );
}

export function formatSize(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(1)} GB`;
  if (bytes >= 1e6) return `${Math.round(bytes / 1e6).toLocaleString('en-US')} MB`;
  if (bytes >= 1e3) return `${Math.round(bytes / 1e3)} kB`;
  return `${bytes} bytes`;
}

function formatFactor(f: number): string {
  return Number.isInteger(f) ? String(f) : f.toFixed(1);
}
