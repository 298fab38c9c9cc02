import type { Db } from '../data/db-types';
import { isImportError } from '../data/errors';
import { scalar } from '../data/rows';
import { sql } from '../data/sql';
import type { AreaFeature, ColumnMapping, RejectedRow } from '../data/types';
import { bbox } from '@turf/turf';
import { queryCallPoints } from './call-points';
import { fileRole, unsupportedMessage } from './classify-files';
import { getDb } from './db';
import { areasToCollection, shapesToCollection, stopsToCollection } from './geo-conversions';
import type { MappingProposal, MappingReviewer } from './mapping-proposal';
import { sameSchema } from '../data/load-csv';
import { previewMapping } from './mapping-preview';
import { normaliseProgress } from './progress';
import { readiness, setReadiness } from './readiness';
import { getSession, type SessionState, updateSession } from './session-store';
import { importDataset, loadAreas, loadGtfs, type NamedBytes, rejectsToCsv, storeAreas } from './teammate-modules';
import { areasMismatch, mismatchSentence } from './areas-mismatch';
import { routeBoundaryFile } from './districts-import';
import { recallMapping, rememberMapping } from './remembered-mappings';
import { allocationFailureMessage, checkFileSize, isAllocationFailure, memorySignals } from '../data/size-budget';
import { readForCache, rememberDataset } from './cache-flow';

let loadedAreas: AreaFeature[] | undefined;
let running: AbortController | null = null;

/**
 * The call files behind the loaded dataset, kept so a later drop of files with the same
 * columns (next month's export) can be added to it. duckdb-wasm takes ownership of the bytes
 * it is given, so copies are kept as Blobs (Chrome pages large Blobs to disk).
 */
let current: { files: { name: string; blob: Blob }[]; columns: string[] } | null = null;

/** The area and GTFS files on screen, kept for the dataset cache (they never reach DuckDB as bytes). */
let context: { areas: NamedBytes | null; gtfs: NamedBytes[] } = { areas: null, gtfs: [] };

export interface ImportRequest {
  files: NamedBytes[];
  /** shown in the header; defaults to the calls file names */
  datasetName?: string;
  mapping?: ColumnMapping;
  reviewMapping?: MappingReviewer;
  /** boot loads context first, calls second: stay 'booting' (not ready) in between */
  keepBooting?: boolean;
  /** how the areas are named to the analyst (e.g. the demo city); defaults to the file name */
  areasLabel?: string;
  /**
   * Keep the dataset in this browser's storage after it imported. Default: only what the
   * analyst chose (imports with a mapping review), so the bundled demo is never kept.
   */
  remember?: boolean;
}

export function cancelImport(): void {
  running?.abort();
  void getDb().then((db) => db.cancel());
}

/**
 * Loads areas, transit and calls from the analyst's files. Areas and transit show as soon
 * as they parse; calls go through the import pipeline. A failure leaves the previous dataset
 * on screen and in DuckDB, and says what to do in the alert region.
 */
export async function importFiles(request: ImportRequest): Promise<boolean> {
  const problems: string[] = [];
  const byRole = { calls: [] as NamedBytes[], areas: [] as NamedBytes[], gtfs: [] as NamedBytes[] };
  for (const f of request.files) {
    const role = fileRole(f.name);
    if (role === 'unsupported') problems.push(unsupportedMessage(f.name));
    else byRole[role].push(f);
  }
  updateSession({ error: null });
  try {
    const notices: string[] = [];
    // Context files fail on their own: a bad GeoJSON must not stop the transit or the calls.
    for (const f of byRole.areas) await loadAreaFile(f, request.areasLabel, byRole.calls.length === 0).then((w) => notices.push(...w), (e: unknown) => problems.push(analystSentence(e, [f])));
    if (byRole.gtfs.length) await loadTransit(byRole.gtfs).then((w) => notices.push(...w), (e: unknown) => problems.push(analystSentence(e, byRole.gtfs)));
    if (notices.length) updateSession({ notices });
    const warnings = byRole.calls.length ? await importCalls(byRole.calls, request) : [];
    if (problems.length || warnings.length) updateSession({ error: [...problems, ...warnings].join(' ') });
    return problems.length === 0;
  } catch (e) {
    updateSession({ error: [analystSentence(e, request.files), ...problems].join(' ') });
    return false;
  } finally {
    const s = getSession();
    const settled = s.report ? 'ready' : 'empty';
    const phase = request.keepBooting ? 'booting' : s.phase === 'importing' || s.phase === 'booting' ? settled : s.phase;
    updateSession({ phase, progress: null });
    setReadiness({ phase });
  }
}

async function loadAreaFile(file: NamedBytes, label?: string, alone = false): Promise<string[]> {
  // districts/beats overlay (districts-import.ts): only a boundary file dropped on its own; boot, restore and "use as areas" pass a label
  const routed = alone && label === undefined ? routeBoundaryFile(file, loadedAreas ?? null) : null;
  if (routed) return routed;
  const { areas, warnings } = loadAreas(file);
  loadedAreas = areas;
  context = { ...context, areas: file };
  updateSession({ areas: areasToCollection(areas), areaFeatures: areas, areasLabel: label ?? file.name });
  return warnings;
}

async function loadTransit(files: NamedBytes[]): Promise<string[]> {
  const result = loadGtfs(files);
  context = { ...context, gtfs: files };
  updateSession({ stops: stopsToCollection(result.stops), routes: shapesToCollection(result.shapes), transit: result });
  return result.warnings ?? [];
}

async function importCalls(dropped: NamedBytes[], request: ImportRequest): Promise<string[]> {
  const previous = snapshot(getSession());
  const kept = dropped.map((f) => ({ name: f.name, blob: new Blob([f.bytes as Uint8Array<ArrayBuffer>]) }));
  let files = dropped;
  let appended = false;
  const controller = new AbortController();
  running = controller;
  let bytesTotal = files.reduce((n, f) => n + f.bytes.byteLength, 0);
  updateSession({ phase: 'importing', progress: { file: files[0]!.name, phase: 'Starting DuckDB', rows: 0, bytesDone: 0, bytesTotal } });
  setReadiness({ phase: 'importing' });
  markImport('start');
  const db = await getDb();
  markImport('db');
  updateSession({ dbStatus: 'ready' });
  setReadiness({ dbReady: true });
  // The SQL side (per-area rates by km²) reads the same polygons. Stored here, in sequence:
  // duckdb-wasm's one connection stalls when a second statement races the import.
  if (loadedAreas?.length) await storeAreas(db, loadedAreas);
  else await db.query('DROP TABLE IF EXISTS areas');
  // Set aside only once the import starts: during the review the dashboard still reads `calls`.
  let backup: Backup | null = null;
  try {
    let mapping = request.mapping;
    if (!mapping && request.reviewMapping) {
      updateSession({ progress: { ...getSession().progress!, phase: 'Detecting columns' } });
      const within = loadedAreas?.length ? (bbox(areasToCollection(loadedAreas)) as [number, number, number, number]) : undefined;
      const proposal = await previewMapping(db, files[0]!, within);
      const recalled = recallMapping(proposal.columns);
      const shown: MappingProposal = recalled
        ? { ...proposal, mapping: recalled, problems: ['Using the mapping you confirmed for these columns last time.', ...proposal.problems] }
        : { ...proposal };
      const names = new Set(current?.files.map((f) => f.name));
      if (current && sameSchema(current.columns, proposal.columns) && !dropped.some((f) => names.has(f.name))) {
        shown.append = { currentFiles: current.files.map((f) => f.name), currentCalls: getSession().totalCalls ?? 0, chosen: false };
      }
      const reviewed = await request.reviewMapping(shown);
      if (reviewed) rememberMapping(proposal.columns, reviewed);
      if (!reviewed) {
        updateSession({ ...previous, notices: ['Import cancelled at the mapping review; nothing was changed.'] });
        return [];
      }
      mapping = reviewed;
      markImport('review');
      if (shown.append?.chosen && current) {
        // Re-import the earlier files with the new ones so the whole dataset goes through one
        // build: duplicates across months are found and the accounting stays per file.
        const earlier = await Promise.all(current.files.map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.blob.arrayBuffer()) })));
        files = [...earlier, ...dropped];
        bytesTotal += earlier.reduce((n, f) => n + f.bytes.byteLength, 0);
        appended = true;
      }
      updateSession({ progress: { ...getSession().progress!, phase: 'Importing' } });
    }
    backup = await backupCalls(db);
    markImport('backup');
    const imported = await importDataset(db, files, {
      mapping,
      areas: loadedAreas,
      signal: controller.signal,
      onProgress: (p) => {
        markImport(p.phase);
        updateSession({ progress: normaliseProgress(p, getSession().progress, bytesTotal) });
      },
    });
    if (controller.signal.aborted) throw new DOMException('Import cancelled', 'AbortError');
    let { report } = imported;
    const { rejected } = imported;
    const areaNotice: string[] = [];
    if (loadedAreas?.length && areasMismatch(report.geo)) {
      // Stale areas from another place: every call would read "outside the study areas".
      areaNotice.push(mismatchSentence(getSession().areasLabel ?? 'the loaded area file'));
      await db.query(`UPDATE calls SET area_id = NULL, area_name = NULL, geo_quality = 'ok' WHERE geo_quality = 'outside_areas'`);
      await db.query('UPDATE calls SET area_id = NULL, area_name = NULL');
      report = { ...report, geo: { ...report.geo, valid: report.geo.valid + report.geo.outside, outside: 0 } };
      loadedAreas = undefined;
      await db.query('DROP TABLE IF EXISTS areas');
      updateSession({ areas: null, areaFeatures: null, areasLabel: null });
    }
    const keep = request.remember ?? Boolean(request.reviewMapping);
    const { points, total } = await queryCallPoints(db);
    markImport('points');
    const viewsBefore = readiness().viewGeneration;
    updateSession({
      phase: 'ready',
      report,
      rejected,
      points,
      totalCalls: total,
      datasetName: appended ? `${previous.datasetName ?? 'calls'} + ${dropped.map((f) => f.name).join(', ')}` : (request.datasetName ?? files.map((f) => f.name).join(', ')),
      datasetEpoch: getSession().datasetEpoch + 1,
    });
    setReadiness({
      phase: 'ready',
      counts: {
        input: report.rows.input,
        loaded: report.rows.loaded,
        rejected: report.rows.rejected,
        duplicates: report.rows.duplicates,
        shown: points.length,
        total,
      },
    });
    await backup.discard();
    current = { files: appended && current ? [...current.files, ...kept] : kept, columns: report.files[0]?.columns ?? [] };
    if (keep) void keepWhenDrawn(db, getSession().datasetEpoch, viewsBefore).finally(() => markImport('cache-read'));
    if (appended) updateSession({ notices: [`Added ${dropped.map((f) => f.name).join(', ')} to the dataset (${report.rows.input.toLocaleString('en-US')} rows from ${files.length} files).`] });
    return areaNotice;
  } catch (e) {
    // The analyst needs the first failure, not a later one from putting the old table back.
    await backup?.restore().catch(() => {});
    updateSession(previous);
    throw e;
  } finally {
    if (running === controller) running = null;
  }
}

/**
 * Reads the new `calls` for this browser's cache once the dashboard has drawn it. Read before
 * the announcement (as it was), the Parquet export of 1M calls held the first map back by
 * seconds; read beside the first refresh, it stalls duckdb-wasm's one connection
 * (dataset-cache.ts). So it waits for the views of this dataset to settle, and gives up if
 * another dataset replaced it meanwhile.
 */
async function keepWhenDrawn(db: Db, epoch: number, viewsBefore: number): Promise<void> {
  const deadline = performance.now() + 10 * 60_000;
  const drawn = () => readiness().ready && readiness().viewGeneration !== viewsBefore;
  while (!drawn()) {
    if (getSession().datasetEpoch !== epoch || performance.now() > deadline) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  if (getSession().datasetEpoch !== epoch) return;
  const copy = await readForCache(db);
  if (copy && getSession().datasetEpoch === epoch) await rememberDataset(copy, cacheSnapshot());
}

/** What the dataset cache keeps besides `calls`: the session as the analyst now sees it. */
function cacheSnapshot() {
  const s = getSession();
  return {
    datasetName: s.datasetName ?? 'calls',
    report: s.report!,
    rejected: s.rejected,
    areas: s.areaFeatures?.length && context.areas ? { ...context.areas, label: s.areasLabel ?? context.areas.name } : null,
    gtfs: s.transit ? context.gtfs : [],
  };
}

function snapshot(s: SessionState): Partial<SessionState> {
  return { report: s.report, rejected: s.rejected, points: s.points, totalCalls: s.totalCalls, datasetName: s.datasetName };
}

/**
 * Keeps the current `calls` table while an import runs, so a file that fails half-way cannot
 * leave the analyst with no dataset (journey 5: "the dataset from before is still there").
 * It is set aside by a rename, not copied: a copy of 1M calls took seconds and held the
 * calls twice in memory for the whole import. The build creates a new `calls` either way.
 */
interface Backup {
  restore(): Promise<void>;
  discard(): Promise<void>;
}

async function backupCalls(db: Db): Promise<Backup> {
  const exists = scalar(await db.query(sql`SELECT count(*) FROM duckdb_tables() WHERE table_name = ${'calls'} AND NOT temporary`)) > 0;
  if (!exists) return { restore: async () => {}, discard: async () => {} };
  await db.query('DROP TABLE IF EXISTS calls_previous');
  const renamed = await db.query('ALTER TABLE calls RENAME TO calls_previous').then(
    () => true,
    // An engine that refuses the rename (a dependent object) still gets the copy.
    () => false,
  );
  if (!renamed) await db.query('CREATE OR REPLACE TABLE calls_previous AS SELECT * FROM calls');
  return {
    restore: async () => {
      await db.query('DROP TABLE IF EXISTS calls');
      await db.query('ALTER TABLE calls_previous RENAME TO calls');
    },
    discard: async () => {
      await db.query('DROP TABLE IF EXISTS calls_previous');
    },
  };
}

/**
 * Where the time of an import goes, as User Timing marks (`callsight:import:<step>`) the
 * bench reads back from the page (scripts/bench/browser.ts); cheap enough to leave on.
 */
function markImport(step: string): void {
  if (typeof performance !== 'undefined' && typeof performance.mark === 'function') performance.mark(`callsight:import:${step}`);
}

function analystSentence(e: unknown, files: NamedBytes[]): string {
  const names = files.map((f) => f.name).join(', ');
  const kept = getSession().report ? ' The previous dataset is still loaded.' : '';
  if (isImportError(e)) return `${e.message}${kept}`;
  if (e instanceof DOMException && e.name === 'AbortError') return `Import cancelled.${kept}`;
  if (isAllocationFailure(e)) return `${allocationFailureMessage(names, files.reduce((n, f) => n + f.bytes.byteLength, 0))}${kept}`;
  const detail = e instanceof Error ? e.message : String(e);
  return `Could not import ${names}: ${detail}. Check that the file opens in a spreadsheet or re-export it, then try again.${kept}`;
}

/**
 * Files chosen or dropped by the analyst: each is checked against what this tab can hold
 * (size-budget.ts) before a byte is read, and the whole choice is refused if one is too large,
 * so a huge export never half-replaces the loaded dataset. Reading itself can still run out of
 * memory; that is reported the same way.
 */
export async function importChosenFiles(files: File[], request: Omit<ImportRequest, 'files'> = {}): Promise<boolean> {
  const signals = typeof window === 'undefined' ? {} : memorySignals(window);
  const refused = files.map((f) => checkFileSize(f, signals)).flatMap((c) => (c && !c.ok ? [c.message] : []));
  const kept = getSession().report ? ' Nothing was loaded; the previous dataset is still loaded.' : ' Nothing was loaded.';
  if (refused.length) {
    updateSession({ error: `${refused.join(' ')}${kept}` });
    return false;
  }
  let named: NamedBytes[];
  try {
    named = await Promise.all(files.map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })));
  } catch (e) {
    const names = files.map((f) => f.name).join(', ');
    const total = files.reduce((n, f) => n + f.size, 0);
    const why = isAllocationFailure(e)
      ? allocationFailureMessage(names, total)
      : `${names} could not be read (${e instanceof Error ? e.message : String(e)}). If it was moved or changed after you chose it, choose it again; if it is very large, export it as Parquet or a narrower date range.`;
    updateSession({ error: `${why}${kept}` });
    return false;
  }
  return importFiles({ ...request, files: named });
}

/** The rejects as CSV, written by the import pipeline's own writer (same columns as the CLI). */
export async function rejectsCsv(rejected: RejectedRow[]): Promise<string> {
  return rejectsToCsv(rejected);
}
