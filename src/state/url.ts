import type { Tier } from '../analysis/tiers';
import { type Clause, type ClauseContext, type ClauseSpec, clause, compileClause, LIMITS } from './clauses';
import type { Selection } from './selection';
import { SOURCE_OF_KIND } from './view-clients';

/**
 * View state ⇄ URL. A link is untrusted input (it arrives by e-mail), so parsing is an
 * allow-list: known keys only, typed values, size limits; anything else is dropped with a
 * sentence saying what was ignored, and the rest of the view still opens. Intended for the
 * URL fragment (#...): a fragment never reaches the static host, so filters stay out of its logs.
 */
export const LAYER_IDS = ['calls', 'density', 'hotspots', 'clusters', 'areas', 'stops', 'routes'] as const;
export type LayerId = (typeof LAYER_IDS)[number];

export interface Camera {
  lon: number;
  lat: number;
  zoom: number;
}

export interface ViewState {
  /** At most one spec per kind; call-id picks are not kept (too large for a link). */
  filters: ClauseSpec[];
  layers: Record<LayerId, boolean>;
  camera: Camera | null;
}

export const DEFAULT_LAYERS: Record<LayerId, boolean> = {
  calls: true,
  density: false,
  hotspots: false,
  clusters: false,
  areas: true,
  stops: true,
  routes: false,
};

export function defaultViewState(): ViewState {
  return { filters: [], layers: { ...DEFAULT_LAYERS }, camera: null };
}

export const URL_LIMITS = { totalChars: 8000, valueChars: LIMITS.textChars, lassoChars: 6000, repeats: LIMITS.listItems } as const;

const KEYS = ['v', 'from', 'to', 'hours', 'days', 'how', 'type', 'tier', 'area', 'bbox', 'lasso', 'layers', 'at'] as const;
type Key = (typeof KEYS)[number];
const REPEATABLE: readonly Key[] = ['type', 'area'];
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);
/** Written as `type=~` for "calls without a type" / "outside every area": no real value is a lone tilde plus nothing. */
const NONE = '~';

const num = (n: number, digits: number) => String(Number(n.toFixed(digits)));

export function serializeViewState(state: ViewState): string {
  const p = new URLSearchParams();
  p.set('v', '1');
  for (const f of state.filters) {
    switch (f.kind) {
      case 'time':
        p.set('from', f.start);
        p.set('to', f.end);
        break;
      case 'hours':
        p.set('hours', `${f.startHour}-${f.endHour}`);
        break;
      case 'weekdays':
        p.set('days', f.days.join(','));
        break;
      case 'hourOfWeek':
        p.set('how', f.cells.join(','));
        break;
      case 'types':
        for (const c of f.codes) p.append('type', c === null ? NONE : c);
        break;
      case 'tiers':
        p.set('tier', f.tiers.map((t) => (t === null ? 'u' : String(t))).join(','));
        break;
      case 'areas':
        for (const a of f.ids) p.append('area', a === null ? NONE : a);
        break;
      case 'bbox':
        p.set('bbox', [f.west, f.south, f.east, f.north].map((v) => num(v, 5)).join(','));
        break;
      case 'polygon':
        p.set('lasso', f.ring.map(([x, y]) => `${num(x, 5)},${num(y, 5)}`).join(';'));
        break;
      case 'callIds':
        break;
    }
  }
  const on = LAYER_IDS.filter((id) => state.layers[id]);
  if (LAYER_IDS.some((id) => state.layers[id] !== DEFAULT_LAYERS[id])) p.set('layers', on.length > 0 ? on.join(',') : 'none');
  if (state.camera) p.set('at', `${num(state.camera.lon, 5)},${num(state.camera.lat, 5)},${num(state.camera.zoom, 2)}`);
  return p.toString();
}

export interface ParsedViewState {
  state: ViewState;
  /** One sentence per thing that was ignored, for the alert region. */
  messages: string[];
}

const INT_LIST = /^\d{1,3}(,\d{1,3})*$/;
const NUMBER = /^-?\d{1,3}(\.\d{1,12})?$/;

function numbers(text: string, count: number, what: string): number[] {
  const parts = text.split(',');
  if (parts.length !== count || !parts.every((s) => NUMBER.test(s))) throw new RangeError(`${what} must be ${count} numbers separated by commas.`);
  return parts.map(Number);
}

function ints(text: string, what: string): number[] {
  if (!INT_LIST.test(text)) throw new RangeError(`${what} must be whole numbers separated by commas.`);
  return text.split(',').map(Number);
}

/** Parse a query string or fragment (leading ? or # allowed). Never throws. */
export function parseViewState(input: string, ctx: ClauseContext = {}): ParsedViewState {
  const state = defaultViewState();
  const messages: string[] = [];
  const text = input.replace(/^[?#]/, '');
  if (text.length === 0) return { state, messages };
  if (text.length > URL_LIMITS.totalChars) {
    return { state, messages: [`The link is ${text.length.toLocaleString('en-US')} characters long (at most ${URL_LIMITS.totalChars.toLocaleString('en-US')}); it was ignored and the default view is shown.`] };
  }
  let params: URLSearchParams;
  try {
    params = new URLSearchParams(text);
  } catch {
    return { state, messages: ['The link could not be read; the default view is shown.'] };
  }
  // A Map, never a plain object: keys like __proto__ must not reach any prototype.
  const values = new Map<Key, string[]>();
  for (const [key, value] of params) {
    const shown = key.slice(0, 40);
    if (FORBIDDEN.has(key)) {
      messages.push(`Ignored the link setting \`${shown}\`: that name is not allowed.`);
      continue;
    }
    if (!(KEYS as readonly string[]).includes(key)) {
      messages.push(`Ignored the unknown link setting \`${shown}\`.`);
      continue;
    }
    const k = key as Key;
    const limit = k === 'lasso' ? URL_LIMITS.lassoChars : URL_LIMITS.valueChars;
    if (value.length > limit) {
      messages.push(`Ignored the link setting \`${k}\`: its value is longer than ${limit} characters.`);
      continue;
    }
    const list = values.get(k) ?? [];
    list.push(value);
    values.set(k, list);
  }
  for (const [k, list] of values) {
    if (!REPEATABLE.includes(k) && list.length > 1) {
      messages.push(`Ignored the link setting \`${k}\`: it appears ${list.length} times.`);
      values.delete(k);
    } else if (list.length > URL_LIMITS.repeats) {
      messages.push(`Ignored the link setting \`${k}\`: more than ${URL_LIMITS.repeats} values.`);
      values.delete(k);
    }
  }
  const one = (k: Key) => values.get(k)?.[0];
  const version = one('v');
  if (version !== undefined && version !== '1') messages.push(`The link is from a newer version of Callsight (v=${version.slice(0, 10)}); some settings may be missing.`);

  const add = (key: string, build: () => ClauseSpec) => {
    try {
      const spec = build();
      // Validation only: a tier filter is kept even before the tier map is confirmed.
      compileClause(spec, { tierMap: ctx.tierMap ?? { version: 1, rules: [] } });
      state.filters.push(spec);
    } catch (e) {
      messages.push(`Ignored the link filter \`${key}\`: ${(e as Error).message}`);
    }
  };
  const from = one('from');
  const to = one('to');
  if (from !== undefined || to !== undefined) {
    add('from/to', () => {
      if (from === undefined || to === undefined) throw new RangeError('a period needs both `from` and `to`.');
      return { kind: 'time', start: from, end: to };
    });
  }
  const hours = one('hours');
  if (hours !== undefined) {
    add('hours', () => {
      const m = /^(\d{1,2})-(\d{1,2})$/.exec(hours);
      if (!m) throw new RangeError('write hours as start-end, e.g. 20-2.');
      return { kind: 'hours', startHour: Number(m[1]), endHour: Number(m[2]) };
    });
  }
  const days = one('days');
  if (days !== undefined) add('days', () => ({ kind: 'weekdays', days: ints(days, 'Weekdays') }));
  const how = one('how');
  if (how !== undefined) add('how', () => ({ kind: 'hourOfWeek', cells: ints(how, 'Hour-of-week cells') }));
  const types = values.get('type');
  if (types) add('type', () => ({ kind: 'types', codes: types.map((t) => (t === NONE ? null : t)) }));
  const tier = one('tier');
  if (tier !== undefined) {
    add('tier', () => {
      if (!/^[123u](,[123u])*$/.test(tier)) throw new RangeError('tiers are 1, 2, 3 or u (unknown), separated by commas.');
      return { kind: 'tiers', tiers: tier.split(',').map((t) => (t === 'u' ? null : (Number(t) as Tier))) };
    });
  }
  const areas = values.get('area');
  if (areas) add('area', () => ({ kind: 'areas', ids: areas.map((a) => (a === NONE ? null : a)) }));
  const bbox = one('bbox');
  if (bbox !== undefined) {
    add('bbox', () => {
      const [west, south, east, north] = numbers(bbox, 4, 'The map box') as [number, number, number, number];
      return { kind: 'bbox', west, south, east, north };
    });
  }
  const lasso = one('lasso');
  if (lasso !== undefined) {
    add('lasso', () => ({ kind: 'polygon', ring: lasso.split(';').map((pair) => numbers(pair, 2, 'Each drawn-area corner') as [number, number]) }));
  }
  const layers = one('layers');
  if (layers !== undefined) {
    const names = layers === 'none' ? [] : layers.split(',');
    const unknown = names.filter((n) => !(LAYER_IDS as readonly string[]).includes(n));
    if (unknown.length > 0) messages.push(`Ignored the link setting \`layers\`: unknown layer${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `\`${u.slice(0, 40)}\``).join(', ')}.`);
    else for (const id of LAYER_IDS) state.layers[id] = names.includes(id);
  }
  const at = one('at');
  if (at !== undefined) {
    try {
      const [lon, lat, zoom] = numbers(at, 3, 'The map position') as [number, number, number];
      if (Math.abs(lon) > 180 || Math.abs(lat) > 85.06 || zoom < 0 || zoom > 24) throw new RangeError('The map position is outside the world (lon ±180, lat ±85, zoom 0–24).');
      state.camera = { lon, lat, zoom };
    } catch (e) {
      messages.push(`Ignored the link setting \`at\`: ${(e as Error).message}`);
    }
  }
  return { state, messages };
}

/** Clauses for a parsed state, each owned by the view that makes that kind of filter; unusable ones are reported. */
export function clausesFromFilters(filters: readonly ClauseSpec[], ctx: ClauseContext = {}): { clauses: Clause[]; messages: string[] } {
  const clauses: Clause[] = [];
  const messages: string[] = [];
  for (const spec of filters) {
    try {
      clauses.push(clause(SOURCE_OF_KIND[spec.kind], spec, ctx));
    } catch (e) {
      messages.push(`The ${spec.kind} filter was not applied: ${(e as Error).message}`);
    }
  }
  return { clauses, messages };
}

/** The filter part of the view state, from the live selection (call-id picks are left out). */
export function filtersFromSelection(selection: Selection): ClauseSpec[] {
  return selection
    .clauses()
    .map((c) => c.spec)
    .filter((s) => s.kind !== 'callIds');
}
