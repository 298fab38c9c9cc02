import { Table, tableToIPC } from 'apache-arrow';
import type { Db } from './db-types';
import { getParquetWasm } from './parquet-wasm';
import type { Sql } from './sql';

/**
 * "Download as Parquet": run a query and write its result with parquet-wasm (ZSTD, which
 * every current Parquet reader supports and compresses call logs well).
 */
export async function exportParquet(db: Db, query: Sql): Promise<Uint8Array> {
  const pw = await getParquetWasm();
  const ipc = await toIpcStream(await db.query(query));
  const table = pw.Table.fromIPCStream(ipc);
  const props = new pw.WriterPropertiesBuilder().setCompression(pw.Compression.ZSTD).setCreatedBy('Callsight').build();
  return pw.writeParquet(table, props);
}

async function toIpcStream(result: Table): Promise<Uint8Array> {
  if (result instanceof Table) return tableToIPC(result, 'stream');
  // In Node, duckdb-wasm's node build returns tables from the CommonJS apache-arrow copy,
  // which the ESM tableToIPC silently serialises as empty (toolchain.md): use that copy's own.
  const moduleName = 'node:module';
  const { createRequire } = (await import(/* @vite-ignore */ moduleName)) as typeof import('node:module');
  const cjs = createRequire(import.meta.url)('apache-arrow') as typeof import('apache-arrow');
  return cjs.tableToIPC(result, 'stream');
}
