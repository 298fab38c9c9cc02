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
// No ICU in the wasm build: timestamps stay naive agency-local wall-clock TIMESTAMPs and the
// agency time zone is a dataset setting applied in TypeScript where it matters.
