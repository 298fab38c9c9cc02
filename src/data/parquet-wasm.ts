/**
 * One parquet-wasm instance for the page, the CLI and the tests.
 *
 * parquet-wasm ships separate entries: the ESM one needs `init(wasmUrl)` before any call and
 * the wasm must come from our own build (Vite `?url`, never a CDN: the app is offline);
 * the `node` entry reads its wasm with `fs` and is ready on import. Callers only ever see
 * `getParquetWasm()`, typed with the ESM declarations (both entries export the same API).
 */
export type ParquetWasm = typeof import('parquet-wasm/esm');

let loading: Promise<ParquetWasm> | undefined;

export function getParquetWasm(): Promise<ParquetWasm> {
  loading ??= isNode() ? loadNode() : loadBrowser();
  // A failed start-up (e.g. the wasm file 404s) must not poison every later attempt.
  loading.catch(() => {
    loading = undefined;
  });
  return loading;
}

function isNode(): boolean {
  return typeof process !== 'undefined' && typeof process.versions?.node === 'string' && typeof window === 'undefined';
}

async function loadNode(): Promise<ParquetWasm> {
  // A non-literal specifier keeps Vite from bundling the fs-based entry into the browser build.
  const nodeEntry = 'parquet-wasm/node';
  return (await import(/* @vite-ignore */ nodeEntry)) as ParquetWasm;
}

async function loadBrowser(): Promise<ParquetWasm> {
  const [mod, wasm] = await Promise.all([import('parquet-wasm/esm'), import('parquet-wasm/esm/parquet_wasm_bg.wasm?url')]);
  await mod.default({ module_or_path: wasm.default });
  return mod;
}
