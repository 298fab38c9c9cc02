import * as duckdb from '@duckdb/duckdb-wasm';
import ehWorker from '@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js?url';
import mvpWorker from '@duckdb/duckdb-wasm/dist/duckdb-browser-mvp.worker.js?url';
import ehWasm from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url';
import mvpWasm from '@duckdb/duckdb-wasm/dist/duckdb-mvp.wasm?url';
import { DATABASE_SETTINGS, type Db, SESSION_SETTINGS } from './db-types';
import type { Sql } from './sql';

/**
 * DuckDB-wasm in a Web Worker, bundles served from our own build (Vite `?url` imports),
 * never a CDN. One connection; the worker keeps the main thread free while queries run.
 */
const BUNDLES: duckdb.DuckDBBundles = {
  mvp: { mainModule: mvpWasm, mainWorker: mvpWorker },
  eh: { mainModule: ehWasm, mainWorker: ehWorker },
};

/** A tab has roughly 4 GB of wasm memory; leave room for Arrow results and the page. */
const DEFAULT_MEMORY_LIMIT = '2GB';

export async function openBrowserDb(options: { memoryLimit?: string } = {}): Promise<Db> {
  const bundle = await duckdb.selectBundle(BUNDLES);
  const worker = new Worker(bundle.mainWorker!);
  const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
  await db.instantiate(bundle.mainModule, bundle.pthreadWorker);
  await db.open({ query: { castBigIntToDouble: false } });
  const conn = await db.connect();
  for (const s of [...SESSION_SETTINGS, ...DATABASE_SETTINGS]) await conn.query(s);
  await conn.query(`SET memory_limit='${options.memoryLimit ?? DEFAULT_MEMORY_LIMIT}'`);

  const run = async (statement: Sql | string) => {
    if (typeof statement === 'string') return conn.query(statement);
    if (statement.params.length === 0) return conn.query(statement.text);
    const stmt = await conn.prepare(statement.text);
    try {
      return await stmt.query(...statement.params);
    } finally {
      await stmt.close();
    }
  };

  return {
    query: run,
    registerFile: async (name, bytes) => db.registerFileBuffer(name, bytes),
    dropFile: async (name) => {
      await db.dropFile(name);
    },
    insertArrowIpc: async (table, ipc, create) => conn.insertArrowFromIPCStream(ipc, { name: table, create }),
    cancel: async () => {
      await conn.cancelSent();
    },
    close: async () => {
      await conn.close();
      await db.terminate();
    },
  };
}
