import { createRequire } from 'node:module';
import path from 'node:path';
import type { Table } from 'apache-arrow';
import { DATABASE_SETTINGS, type Db, SESSION_SETTINGS } from './db-types';
import type { Sql } from './sql';

/**
 * DuckDB for the CLI and tests: duckdb-wasm's node build runs the very engine the browser
 * runs (same version, same CSV sniffer, same limits), so results found here hold in the app.
 * It is CommonJS and returns tables from the CommonJS apache-arrow copy; use `toRows`
 * (not apache-arrow's ESM `tableToIPC`) on its results.
 */
const require = createRequire(import.meta.url);

interface BlockingConnection {
  query(text: string): Table;
  prepare(text: string): { query(...params: unknown[]): Table; close(): void };
  insertArrowFromIPCStream(buffer: Uint8Array, options: { name: string; create?: boolean }): void;
  close(): void;
}
interface BlockingDb {
  instantiate(): Promise<unknown>;
  open(config: Record<string, unknown>): void;
  connect(): BlockingConnection;
  registerFileBuffer(name: string, buffer: Uint8Array): void;
  dropFile(name: string): void;
  reset(): void;
  mod?: { HEAP8?: Int8Array };
}

export interface NodeDbOptions {
  memoryLimit?: string;
  /** false: DuckDB's default uncompressed in-memory database, for before/after measurements */
  compressed?: boolean;
}

export async function openNodeDb(options: NodeDbOptions = {}): Promise<Db> {
  const duckdb = require('@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs');
  const dist = path.dirname(require.resolve('@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs'));
  const bundles = {
    mvp: { mainModule: path.join(dist, 'duckdb-mvp.wasm'), mainWorker: path.join(dist, 'duckdb-node-mvp.worker.cjs') },
    eh: { mainModule: path.join(dist, 'duckdb-eh.wasm'), mainWorker: path.join(dist, 'duckdb-node-eh.worker.cjs') },
  };
  const db: BlockingDb = await duckdb.createDuckDB(bundles, new duckdb.VoidLogger(), duckdb.NODE_RUNTIME);
  await db.instantiate();
  db.open({});
  const conn = db.connect();
  for (const s of [...SESSION_SETTINGS, ...(options.compressed === false ? [] : DATABASE_SETTINGS)]) conn.query(s);
  conn.query(`SET memory_limit='${options.memoryLimit ?? '4GB'}'`);

  const run = (statement: Sql | string): Table => {
    if (typeof statement === 'string') return conn.query(statement);
    if (statement.params.length === 0) return conn.query(statement.text);
    const stmt = conn.prepare(statement.text);
    try {
      return stmt.query(...statement.params);
    } finally {
      stmt.close();
    }
  };

  return {
    query: async (statement) => run(statement),
    registerFile: async (name, bytes) => db.registerFileBuffer(name, bytes),
    dropFile: async (name) => db.dropFile(name),
    insertArrowIpc: async (table, ipc, create) => conn.insertArrowFromIPCStream(ipc, { name: table, create }),
    wasmHeapBytes: () => db.mod?.HEAP8?.buffer.byteLength ?? 0,
    cancel: async () => {},
    close: async () => {
      conn.close();
    },
  };
}
