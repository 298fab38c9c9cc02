import { queryCallPoints } from './call-points';
import { cacheStore, describeSavedAt, setCacheState, withCacheLock } from './cache-flow';
import { type CacheStore, hasCachedDataset, restoreDataset } from './dataset-cache';
import { getDb } from './db';
import { importFiles } from './import-flow';
import { setReadiness } from './readiness';
import { getSession, updateSession } from './session-store';
import { storeAreas } from './teammate-modules';

export interface RestoreResult {
  restored: boolean;
  /** a sentence for the alert region when a kept dataset could not be used */
  problem?: string;
}

/**
 * Start-up: the dataset kept in this browser's storage opens instead of the demo. Areas and
 * transit go through the same loaders as a dropped file (so the import flow knows them for
 * the next import); the calls table comes back checked (dataset-cache.ts).
 */
export async function restoreCachedDataset(): Promise<RestoreResult> {
  const store = await cacheStore();
  if (!store) {
    setCacheState({ status: { kind: 'unavailable' } });
    return { restored: false };
  }
  // Cheap look first: without a kept dataset the demo must not wait for DuckDB.
  if (!(await hasCachedDataset(store))) {
    setCacheState({ status: { kind: 'none' } });
    return { restored: false };
  }
  try {
    return await restore(store);
  } catch (e) {
    setCacheState({ status: { kind: 'none' } });
    return { restored: false, problem: `The dataset kept in this browser could not be opened (${e instanceof Error ? e.message : String(e)}). Open the file again.` };
  }
}

async function restore(store: CacheStore): Promise<RestoreResult> {
  const db = await getDb();
  const outcome = await withCacheLock(() => restoreDataset(db, store));
  if (!outcome.restored) {
    setCacheState({ status: { kind: 'none' } });
    return { restored: false, ...(outcome.problem ? { problem: outcome.problem } : {}) };
  }
  const { info, report, rejected, areas, gtfs } = outcome.restored;
  const context = [...(areas ? [{ name: areas.name, bytes: areas.bytes }] : []), ...gtfs];
  if (context.length) await importFiles({ files: context, keepBooting: true, ...(areas ? { areasLabel: areas.label } : {}) });
  const { areaFeatures } = getSession();
  if (areaFeatures?.length) await storeAreas(db, areaFeatures);
  const { points, total } = await queryCallPoints(db);
  const restoredNote = `Restored from this browser's storage, loaded ${describeSavedAt(info.savedAt)}: ${info.datasetName}. Settings → "Forget cached dataset" removes it.`;
  updateSession({
    phase: 'ready',
    report,
    rejected,
    points,
    totalCalls: total,
    datasetName: info.datasetName,
    datasetEpoch: getSession().datasetEpoch + 1,
    progress: null,
    notices: [...getSession().notices, restoredNote],
  });
  setReadiness({
    phase: 'ready',
    counts: { input: report.rows.input, loaded: report.rows.loaded, rejected: report.rows.rejected, duplicates: report.rows.duplicates, shown: points.length, total },
  });
  setCacheState({ status: { kind: 'saved', info }, restored: info });
  return { restored: true };
}
