import type { ExclusionEntry } from '../../src/analysis/exclusions';
import { validateExclusions } from '../../src/analysis/exclusions';
import { parseHourWindows } from '../../src/analysis/hour-windows';
import { type AnalysisParams, DEFAULT_PARAMS, type ParamsInput, resolveParams } from '../../src/analysis/params';

/** The analysis flags of `npm run analyze`, merged into args.ts's parser. */
export const ANALYSIS_OPTIONS = {
  hotspots: { type: 'boolean', default: false },
  clusters: { type: 'boolean', default: false },
  emerging: { type: 'boolean', default: false },
  knox: { type: 'boolean', default: false },
  transit: { type: 'boolean', default: false },
  grid: { type: 'string' },
  'cell-meters': { type: 'string' },
  'band-meters': { type: 'string' },
  knn: { type: 'string' },
  'study-area': { type: 'string' },
  step: { type: 'string' },
  windows: { type: 'string' },
  types: { type: 'string' },
  'radius-meters': { type: 'string' },
  'min-calls': { type: 'string' },
  'hub-radius-meters': { type: 'string' },
  'min-routes': { type: 'string' },
  'knox-types': { type: 'string' },
  'knox-space': { type: 'string' },
  'knox-days': { type: 'string' },
  'knox-max-events': { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  exclude: { type: 'string' },
  seed: { type: 'string' },
  iterations: { type: 'string' },
} as const;

const d = DEFAULT_PARAMS;
export const ANALYSIS_USAGE = `
Analyses (any combination; parameters and their defaults are echoed in the output):
  --hotspots               Gi* hot and cold spots with Benjamini–Hochberg q, classes at 90/95/99 %
  --emerging               emerging hot spots on a space-time cube (cell × week or day)
  --clusters               repeat-report clusters (type group × hour windows, DBSCAN in metres)
  --knox                   Knox near-repeat table with seeded permutations
  --transit                hubs from the GTFS feed (--stops), nearest stop/hub, distance decay
  --grid square|h3         cell grid (default ${d.hotspots.grid})
  --cell-meters <m>        square side or H3 edge (default ${d.hotspots.cellMeters})
  --band-meters <m>        Gi* fixed distance band (default 1.5 × cell spacing)
  --knn <k>                Gi* k nearest neighbours instead of a band
  --study-area areas|bbox|occupied   empty cells included (default ${d.hotspots.studyArea})
  --step week|day          cube step (default ${d.emerging.step})
  --types "a,b"            cluster call types (default "${d.clusters.types.join(',')}")
  --windows 20-02,06-14    cluster hour windows (default ${d.clusters.windows.join(',')})
  --radius-meters <m>      cluster radius (default ${d.clusters.radiusMeters})
  --min-calls <n>          calls for a core point (default ${d.clusters.minCalls})
  --hub-radius-meters <m>  "near a hub" (default ${d.transit.nearHubMeters})
  --min-routes <n>         routes for a hub (default ${d.transit.minRoutes})
  --knox-types "a,b"       Knox call types (default all filtered calls)
  --knox-space 0,100,200,400  --knox-days 0,7,14,28   Knox band breaks
  --from YYYY-MM-DD --to YYYY-MM-DD   period filter (to is inclusive)
  --exclude <file.json>    exclusion list: [{"kind":"point","id","label","lon","lat","radiusMeters"} | {"kind":"area","id","label","areaIds":[...]}]
  --seed <n>               Monte Carlo seed (default ${d.seed})
  --iterations <n>         Monte Carlo iterations (default ${d.iterations})
`;

export interface AnalysisSelection {
  hotspots: boolean;
  clusters: boolean;
  emerging: boolean;
  knox: boolean;
  transit: boolean;
}

export interface AnalysisFlags {
  selection: AnalysisSelection;
  params: AnalysisParams;
  excludeFile?: string;
  from?: string;
  to?: string;
}

type Values = { [K in keyof typeof ANALYSIS_OPTIONS]?: (typeof ANALYSIS_OPTIONS)[K]['type'] extends 'boolean' ? boolean : string };

function number(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const v = Number(text);
  if (text.trim() === '' || !Number.isFinite(v)) throw new RangeError(`--${flag} needs a number, got "${text}".`);
  return v;
}

function list(text: string | undefined): string[] | undefined {
  return text === undefined ? undefined : text.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
}

function numbers(flag: string, text: string | undefined): number[] | undefined {
  return list(text)?.map((s) => number(flag, s)!);
}

function oneOf<T extends string>(flag: string, text: string | undefined, allowed: readonly T[]): T | undefined {
  if (text === undefined) return undefined;
  if (!allowed.includes(text as T)) throw new RangeError(`--${flag} must be one of ${allowed.join(', ')}; got "${text}".`);
  return text as T;
}

function date(flag: string, text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || Number.isNaN(Date.parse(`${text}T00:00:00Z`))) throw new RangeError(`--${flag} needs a date like 2026-08-01, got "${text}".`);
  return text;
}

export function analysisFromFlags(values: Values): AnalysisFlags {
  if (values['band-meters'] !== undefined && values.knn !== undefined) throw new RangeError('Use either --band-meters or --knn, not both.');
  const knn = number('knn', values.knn);
  const band = number('band-meters', values['band-meters']);
  const windows = list(values.windows);
  if (windows) parseHourWindows(windows.join(','));
  const input: ParamsInput = {
    hotspots: {
      ...(values.grid !== undefined ? { grid: oneOf('grid', values.grid, ['square', 'h3'] as const)! } : {}),
      ...(values['cell-meters'] !== undefined ? { cellMeters: number('cell-meters', values['cell-meters'])! } : {}),
      ...(knn !== undefined ? { neighbours: { kind: 'knn' as const, k: knn } } : band !== undefined ? { neighbours: { kind: 'band' as const, bandMeters: band } } : {}),
      ...(values['study-area'] !== undefined ? { studyArea: oneOf('study-area', values['study-area'], ['areas', 'bbox', 'occupied'] as const)! } : {}),
    },
    emerging: values.step !== undefined ? { step: oneOf('step', values.step, ['week', 'day'] as const)! } : {},
    clusters: {
      ...(list(values.types) ? { types: list(values.types)! } : {}),
      ...(windows ? { windows } : {}),
      ...(values['radius-meters'] !== undefined ? { radiusMeters: number('radius-meters', values['radius-meters'])! } : {}),
      ...(values['min-calls'] !== undefined ? { minCalls: number('min-calls', values['min-calls'])! } : {}),
    },
    knox: {
      ...(list(values['knox-types']) ? { types: list(values['knox-types'])! } : {}),
      ...(values['knox-space'] !== undefined ? { spaceBreaksMeters: numbers('knox-space', values['knox-space'])! } : {}),
      ...(values['knox-days'] !== undefined ? { timeBreaksDays: numbers('knox-days', values['knox-days'])! } : {}),
      ...(values['knox-max-events'] !== undefined ? { maxEvents: number('knox-max-events', values['knox-max-events'])! } : {}),
    },
    transit: {
      ...(values['hub-radius-meters'] !== undefined ? { nearHubMeters: number('hub-radius-meters', values['hub-radius-meters'])! } : {}),
      ...(values['min-routes'] !== undefined ? { minRoutes: number('min-routes', values['min-routes'])! } : {}),
    },
    ...(values.seed !== undefined ? { seed: number('seed', values.seed)! } : {}),
    ...(values.iterations !== undefined ? { iterations: number('iterations', values.iterations)! } : {}),
  };
  const from = date('from', values.from);
  const to = date('to', values.to);
  return {
    selection: { hotspots: !!values.hotspots, clusters: !!values.clusters, emerging: !!values.emerging, knox: !!values.knox, transit: !!values.transit },
    params: resolveParams(input),
    ...(values.exclude !== undefined ? { excludeFile: values.exclude } : {}),
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
  };
}

/** Exclusion list from JSON text: an array of entries, or { "exclusions": [...] }. */
export function parseExclusions(file: string, text: string): ExclusionEntry[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new RangeError(`${file} is not JSON (${(e as Error).message}). Write a list like [{"kind":"point","id":"hq","label":"Police HQ","lon":-90.07,"lat":29.95,"radiusMeters":50}].`);
  }
  const list = Array.isArray(json) ? json : (json as { exclusions?: unknown })?.exclusions;
  if (!Array.isArray(list)) throw new RangeError(`${file} must hold a list of exclusions (or {"exclusions": [...]}).`);
  const entries = list.map((e: Record<string, unknown>, i): ExclusionEntry => {
    const id = String(e?.id ?? `x${i + 1}`);
    const label = String(e?.label ?? id);
    if (e?.kind === 'area' && Array.isArray(e.areaIds)) return { kind: 'area', id, label, areaIds: e.areaIds.map(String) };
    if (e?.kind === 'point' || (e && 'lon' in e)) return { kind: 'point', id, label, lon: Number(e.lon), lat: Number(e.lat), radiusMeters: Number(e.radiusMeters ?? 0) };
    throw new RangeError(`${file}: entry ${i + 1} is neither a point (lon, lat, radiusMeters) nor an area list (areaIds).`);
  });
  try {
    validateExclusions(entries);
  } catch (e) {
    throw new RangeError(`${file}: ${(e as Error).message}`);
  }
  return entries;
}
