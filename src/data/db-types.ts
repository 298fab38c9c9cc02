import type { Table } from 'apache-arrow';
import type { Sql } from './sql';

/**
 * The engine-independent DuckDB handle. The browser (duckdb-wasm in a worker) and Node
 * (duckdb-wasm's node build, same engine) both implement it, so every loader and query
 * in src/data runs unchanged in the app, the CLI and the tests.
 */
export interface Db {
  /** Run one statement; parameters (if any) go through a prepared statement. */
  query(statement: Sql | string): Promise<Table>;
  /** Make bytes visible to DuckDB's file readers under `name` (e.g. read_csv(name)). */
  registerFile(name: string, bytes: Uint8Array): Promise<void>;
  dropFile(name: string): Promise<void>;
  /** Append (or create) a table from an Arrow IPC stream. */
  insertArrowIpc(table: string, ipcStream: Uint8Array, create: boolean): Promise<void>;
  /**
   * Bytes of WebAssembly memory the engine has grown to (it never shrinks, so this is the
   * high-water mark). Only where the heap is reachable: the Node build, not the browser worker.
   */
  wasmHeapBytes?(): number;
  /** Abort the running query, if the engine supports it. */
  cancel(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Settings applied to every connection. Extensions must never autoload: offline in the
 * browser a Parquet or HTTP query would try to download one and hang (toolchain.md).
 */
export const SESSION_SETTINGS = [
  'SET autoload_known_extensions=false',
  'SET autoinstall_known_extensions=false',
] as const;
/**
 * The canonical tables live in a compressed in-memory database (issue #8). DuckDB's default
 * in-memory database stores row groups uncompressed; with COMPRESS they get the same
 * dictionary/FSST/RLE/bit-packing as a file, which took the wasm heap after a 1M-call Parquet
 * import from 1,239 to ~734 MB (wasm memory never shrinks, so that is the tab's footprint).
 * `USE` makes it the default catalog, so unqualified names and current_database() follow.
 */
export const COMPRESSED_DATABASE = 'callsight';
export const DATABASE_SETTINGS = [`ATTACH ':memory:' AS ${COMPRESSED_DATABASE} (COMPRESS)`, `USE ${COMPRESSED_DATABASE}`] as const;
// No ICU in the wasm build: timestamps stay naive agency-local wall-clock TIMESTAMPs and the
// agency time zone is a dataset setting applied in TypeScript where it matters.
