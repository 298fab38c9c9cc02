import type { ColumnMapping } from '../data/types';
import { markOnce } from './boot-marks';
import { getDb } from './db';
import { importFiles } from './import-flow';
import { readiness, setReadiness } from './readiness';
import { toRows } from '../data/rows';
import { updateSession } from './session-store';
import type { NamedBytes } from './teammate-modules';
import { restoreCachedDataset } from './restore-dataset';

/**
 * The demo dataset (data/demo, written by scripts/make-demo-data) is bundled by URL and
 * fetched from our own origin. The glob is empty while the demo has not been generated; the
 * app then opens on the empty state with the drop zone.
 */
const demoUrls = import.meta.glob<string>('/data/demo/**/*.{geojson,parquet,json,txt}', { query: '?url', import: 'default', eager: true });

export function demoFiles(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [path, url] of Object.entries(demoUrls)) out[path.replace(/^\/data\/demo\//, '')] = url;
  return out;
}

async function fetchBytes(name: string, url: string): Promise<NamedBytes> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`demo file ${name} answered HTTP ${response.status}`);
  return { name: name.split('/').pop()!, bytes: new Uint8Array(await response.arrayBuffer()) };
}

/**
 * Dev and test builds only (Vite drops this branch from production): e2e tests check the
 * views' counts against SQL run through the app's own DuckDB.
 */
function exposeTestHook(): void {
  // the same condition as test-hooks.ts TEST_HOOKS, written out: only a literal condition here
  // lets the bundler leave bench-modules' chunk out of a normal build
  if (!(import.meta.env.DEV || import.meta.env.VITE_CALLSIGHT_TEST_HOOKS === '1')) return;
  readiness().sql = async (text: string) => toRows(await (await getDb()).query(text));
  readiness().load = async (path: string) => {
    const found = (await import('./bench-modules')).BENCH_MODULES[path];
    if (!found) throw new Error(`bench-modules.ts does not list ${path}`);
    return found;
  };
}

export async function boot(): Promise<void> {
  exposeTestHook();
  // DuckDB takes 2–3 s to start: begin now, while areas and transit paint. (Deferring it until
  // the first full-size map frame was tried twice, the second time timed from screencast
  // frames: the map reached the screen no sooner, about 3.1–4.3 s either way under SwiftShader,
  // and the calls 2 s later.)
  const dbReady = getDb().then(
    () => {
      markOnce('callsight:db-ready');
      updateSession({ dbStatus: 'ready' });
      setReadiness({ dbReady: true });
    },
    (e: unknown) => {
      updateSession({ dbStatus: 'failed', error: `The analysis engine (DuckDB) did not start: ${String(e)}. Reload the page; if it persists, use a current Chrome, Edge or Firefox.` });
    },
  );
  // -- dataset cache (issue #9): a dataset kept in this browser opens instead of the demo.
  const cached = await restoreCachedDataset();
  if (cached.restored) return;
  // -- end dataset cache
  const demo = demoFiles();
  const callsName = Object.keys(demo).find((n) => n.endsWith('.parquet'));
  if (!callsName) {
    await dbReady;
    updateSession({ phase: 'empty' });
    setReadiness({ phase: 'empty' });
    return;
  }
  // Every demo file is fetched at once: the calls file must not wait until the areas and the
  // transit feed are parsed (the fetches are independent; only the imports are ordered).
  const calls = fetchBytes(callsName, demo[callsName]!);
  calls.catch(() => {}); // awaited below; this only keeps an early failure from being "unhandled"
  const contextNames = Object.keys(demo).filter((n) => n === 'areas.geojson' || n.startsWith('gtfs/'));
  const [context, config] = await Promise.all([
    Promise.all(contextNames.map((n) => fetchBytes(n, demo[n]!))),
    demo['config.json'] ? fetch(demo['config.json']).then((r) => r.json() as Promise<unknown>) : Promise.resolve({}),
  ]);
  markOnce('callsight:demo-context-fetched');
  await importFiles({ files: context, keepBooting: true, areasLabel: demoName(config).replace(/\s*\(synthetic\)$/, '') });
  markOnce('callsight:demo-areas-shown');
  const callsFile = await calls;
  markOnce('callsight:demo-calls-fetched');
  await importFiles({ files: [callsFile], datasetName: demoName(config), mapping: demoMapping(config) });
  markOnce('callsight:demo-calls-imported');
  if (cached.problem) updateSession({ error: cached.problem });
}

function demoName(config: unknown): string {
  const c = config as { name?: unknown; title?: unknown; city?: unknown };
  const name = c.name ?? c.title ?? c.city;
  return typeof name === 'string' ? name : 'Demo dataset';
}

/** The generator writes the demo's own mapping, so the demo never depends on detection. */
function demoMapping(config: unknown): ColumnMapping | undefined {
  const c = config as { mapping?: ColumnMapping; expectedMapping?: ColumnMapping };
  const m = c.expectedMapping ?? c.mapping;
  return m && typeof m === 'object' && m.columns && m.location ? m : undefined;
}
