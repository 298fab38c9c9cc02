/**
 * The import modules other engineers own, imported directly now that they have landed.
 * Kept as one seam so the shell's import flow names its dependencies in one place.
 */
export { importDataset, rejectsToCsv } from '../data/import-dataset';
export { loadAreas, storeAreas } from '../data/load-geo';
export { loadGtfs } from '../data/load-gtfs';

export interface NamedBytes {
  name: string;
  bytes: Uint8Array;
}
