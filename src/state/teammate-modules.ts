import type { Db } from '../data/db-types';
import type { AreaFeature, ColumnMapping, QualityReport, RejectedRow, TransitStop } from '../data/types';

/**
 * Thin adapter over the import modules other engineers own (src/data/import-dataset.ts,
 * load-geo.ts, load-gtfs.ts). `import.meta.glob` resolves to an empty record while a file
 * does not exist yet, so the shell builds and runs before and after they land; the types
 * below are the contract from the task briefs, checked when the module loads.
 */
export interface NamedBytes {
  name: string;
  bytes: Uint8Array;
}

export interface ImportOptions {
  mapping?: ColumnMapping;
  areas?: AreaFeature[];
  signal?: AbortSignal;
  onProgress?: (progress: unknown) => void;
}

export interface ImportDatasetModule {
  importDataset(db: Db, files: NamedBytes[], options: ImportOptions): Promise<{ report: QualityReport; rejected: RejectedRow[] }>;
  rejectsToCsv?(rejected: RejectedRow[]): string;
  detectMapping?: (...args: never[]) => unknown;
}

export interface LoadGeoModule {
  loadAreas(file: NamedBytes): Promise<{ areas: AreaFeature[]; warnings: string[] }> | { areas: AreaFeature[]; warnings: string[] };
}

export interface GtfsResult {
  stops: TransitStop[];
  routes?: unknown[];
  shapes?: unknown;
  trips?: unknown[];
  warnings?: string[];
}

export interface LoadGtfsModule {
  loadGtfs(files: NamedBytes[]): Promise<GtfsResult> | GtfsResult;
}

const importModules = import.meta.glob<ImportDatasetModule>('../data/import-dataset.ts');
const geoModules = import.meta.glob<LoadGeoModule>('../data/load-geo.ts');
const gtfsModules = import.meta.glob<LoadGtfsModule>('../data/load-gtfs.ts');

async function first<T>(modules: Record<string, () => Promise<T>>): Promise<T | null> {
  const load = Object.values(modules)[0];
  return load ? load() : null;
}

export const loadImportModule = () => first(importModules);
export const loadGeoModule = () => first(geoModules);
export const loadGtfsModule = () => first(gtfsModules);
