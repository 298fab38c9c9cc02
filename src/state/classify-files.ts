/**
 * Sorts dropped files by role from their names. GTFS files have fixed names (GTFS
 * reference, "Dataset files"), which is how a .txt file is told apart from a calls CSV.
 */
export type FileRole = 'calls' | 'areas' | 'gtfs' | 'unsupported';

const GTFS_NAMES = new Set([
  'agency.txt',
  'stops.txt',
  'routes.txt',
  'trips.txt',
  'stop_times.txt',
  'calendar.txt',
  'calendar_dates.txt',
  'fare_attributes.txt',
  'fare_rules.txt',
  'shapes.txt',
  'frequencies.txt',
  'transfers.txt',
  'pathways.txt',
  'levels.txt',
  'feed_info.txt',
  'translations.txt',
  'attributions.txt',
]);

export function fileRole(name: string): FileRole {
  const base = name.split(/[\\/]/).pop()!.toLowerCase();
  if (GTFS_NAMES.has(base)) return 'gtfs';
  if (/\.(csv|tsv|txt)$/.test(base)) return 'calls';
  if (/\.parquet$/.test(base)) return 'calls';
  if (/\.(geojson|json)$/.test(base)) return 'areas';
  return 'unsupported';
}

export function unsupportedMessage(name: string): string {
  if (/\.zip$/i.test(name)) {
    return `${name}: zip archives are not opened here. Unzip it and drop the files inside (calls CSV/Parquet, GTFS .txt files, area GeoJSON).`;
  }
  return `${name}: this file type is not supported. Drop a calls log as CSV or Parquet, areas as GeoJSON, or GTFS .txt files.`;
}
