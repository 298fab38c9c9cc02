import type { Choropleth } from '../map/layers/areas-layer';
import type { DashboardFilters, HourOfWeekBrush } from './dashboard-filters';
import type { LayerSettings } from './dashboard-store';

/**
 * The analyst's current view as URL query parameters (readable, allow-listed, validated on
 * the way in: a link from an email is untrusted input). Unknown keys are ignored; a bad value
 * drops only that part of the view.
 */
export interface ViewState {
  filters: DashboardFilters;
  layers: { hotspots: boolean; areas: Choropleth; calls: LayerSettings['calls']['mode'] };
  camera: { lon: number; lat: number; zoom: number } | null;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const MAX_LIST = 200;

export function encodeView(v: ViewState): string {
  const p = new URLSearchParams();
  const f = v.filters;
  if (f.dates) p.set('dates', `${f.dates[0]}..${f.dates[1]}`);
  if (f.hourOfWeek) p.set('how', [f.hourOfWeek.dowFrom, f.hourOfWeek.dowTo, f.hourOfWeek.hourFrom, f.hourOfWeek.hourTo].join('.'));
  for (const t of f.types) p.append('type', t);
  for (const a of f.areas) p.append('area', a);
  if (f.bbox) p.set('bbox', f.bbox.map((x) => x.toFixed(5)).join(','));
  if (v.layers.hotspots) p.set('hot', '1');
  if (v.layers.areas !== 'none') p.set('fill', v.layers.areas);
  if (v.layers.calls !== 'auto') p.set('draw', v.layers.calls);
  if (v.camera) p.set('at', `${v.camera.zoom.toFixed(2)}/${v.camera.lat.toFixed(5)}/${v.camera.lon.toFixed(5)}`);
  return p.toString();
}

export function decodeView(query: string): ViewState {
  const p = new URLSearchParams(query.replace(/^[?#]/, ''));
  const dates = p.get('dates')?.split('..');
  const how = p.get('how')?.split('.').map(Number);
  const bbox = p.get('bbox')?.split(',').map(Number);
  const at = p.get('at')?.split('/').map(Number);
  const int = (x: number | undefined, lo: number, hi: number) => x !== undefined && Number.isInteger(x) && x >= lo && x <= hi;
  const hourOfWeek: HourOfWeekBrush | null =
    how && how.length === 4 && int(how[0], 0, 6) && int(how[1], 0, 6) && how[0]! <= how[1]! && int(how[2], 0, 23) && int(how[3], 0, 23)
      ? { dowFrom: how[0]!, dowTo: how[1]!, hourFrom: how[2]!, hourTo: how[3]! }
      : null;
  const validBbox =
    bbox && bbox.length === 4 && bbox.every(Number.isFinite) && bbox[0]! < bbox[2]! && bbox[1]! < bbox[3]! && Math.abs(bbox[1]!) <= 90 && Math.abs(bbox[3]!) <= 90;
  const fill = p.get('fill');
  const draw = p.get('draw');
  return {
    filters: {
      dates: dates && dates.length === 2 && DAY.test(dates[0]!) && DAY.test(dates[1]!) && dates[0]! < dates[1]! ? [dates[0]!, dates[1]!] : null,
      hourOfWeek,
      types: p.getAll('type').slice(0, MAX_LIST).map((t) => t.slice(0, 200)),
      areas: p.getAll('area').slice(0, MAX_LIST).map((t) => t.slice(0, 200)),
      bbox: validBbox ? (bbox as [number, number, number, number]) : null,
    },
    layers: {
      hotspots: p.get('hot') === '1',
      areas: fill === 'rate' || fill === 'change' ? fill : 'none',
      calls: draw === 'points' || draw === 'density' ? draw : 'auto',
    },
    camera: at && at.length === 3 && at.every(Number.isFinite) && at[0]! >= 0 && at[0]! <= 22 && Math.abs(at[1]!) <= 85 && Math.abs(at[2]!) <= 180 ? { zoom: at[0]!, lat: at[1]!, lon: at[2]! } : null,
  };
}

export interface SavedView {
  name: string;
  query: string;
  savedAt: string;
}

const SAVED_KEY = 'callsight.saved-views.v1';

export function readSavedViews(storage: Pick<Storage, 'getItem'> | undefined = globalThis.localStorage): SavedView[] {
  try {
    const raw = storage?.getItem(SAVED_KEY);
    const parsed: unknown = raw ? JSON.parse(raw) : [];
    if (!Array.isArray(parsed)) return [];
    return parsed
      .filter((v): v is SavedView => typeof v === 'object' && v !== null && typeof v.name === 'string' && typeof v.query === 'string' && typeof v.savedAt === 'string')
      .slice(0, 100);
  } catch {
    return [];
  }
}

export function writeSavedViews(views: SavedView[], storage: Pick<Storage, 'setItem'> | undefined = globalThis.localStorage): void {
  try {
    storage?.setItem(SAVED_KEY, JSON.stringify(views.slice(0, 100)));
  } catch {
    // storage full or disabled: the view stays in the URL
  }
}
