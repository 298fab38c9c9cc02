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
  /**
   * Call types named by their text, from links and saved views made before filters used type
   * codes. Kept until the data are loaded, then turned into a `types` clause (`withTypeCodes`).
   */
  typeTexts?: string[];
  /** Area shading on the map; absent = outline only. */
  areaFill?: AreaFill;
}

export const AREA_FILLS = ['rate', 'change'] as const;
export type AreaFill = (typeof AREA_FILLS)[number];

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

const KEYS = ['v', 'from', 'to', 'hours', 'days', 'how', 'type', 'typetext', 'tier', 'area', 'bbox', 'lasso', 'layers', 'fill', 'at'] as const;
type Key = (typeof KEYS)[number];
const REPEATABLE: readonly Key[] = ['type', 'typetext', 'area'];
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
  for (const t of state.typeTexts ?? []) p.append('typetext', t);
  const on = LAYER_IDS.filter((id) => state.layers[id]);
  if (LAYER_IDS.some((id) => state.layers[id] !== DEFAULT_LAYERS[id])) p.set('layers', on.length > 0 ? on.join(',') : 'none');
  if (state.areaFill) p.set('fill', state.areaFill);
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
  const typeTexts = values.get('typetext');
  if (typeTexts) state.typeTexts = [...typeTexts];
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
  const fill = one('fill');
  if (fill !== undefined) {
    if ((AREA_FILLS as readonly string[]).includes(fill)) state.areaFill = fill as AreaFill;
    else messages.push(`Ignored the link setting \`fill\`: the area shading is \`rate\` or \`change\`.`);
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

/** What the address bar carries: always the fragment, so filters never reach the static host's logs. */
export function viewFragment(state: ViewState): string {
  return `#${serializeViewState(state)}`;
}

/**
 * The view a page was opened with: the fragment when there is one, else the query string
 * (links from before the view moved to the fragment). Links in the old format (`dates=`,
 * `how=d.d.h.h`, type names, `at=zoom/lat/lon`) are converted, so nobody's bookmark breaks.
 */
export function readViewLocation(loc: { hash: string; search: string }, ctx: ClauseContext = {}): ParsedViewState {
  return parseAnyViewState(loc.hash.length > 1 ? loc.hash : loc.search, ctx);
}

/** `parseViewState` that also accepts the old link format (see `readViewLocation`). Never throws. */
export function parseAnyViewState(input: string, ctx: ClauseContext = {}): ParsedViewState {
  const text = input.replace(/^[?#]/, '');
  if (text.length > URL_LIMITS.totalChars || !isLegacyQuery(text)) return parseViewState(text, ctx);
  const { query, messages } = legacyToQuery(text);
  const parsed = parseViewState(query, ctx);
  return { state: parsed.state, messages: [...messages, ...parsed.messages] };
}

const LEGACY_KEYS = ['dates', 'how', 'type', 'area', 'bbox', 'hot', 'fill', 'draw', 'at'];

/**
 * Old links never carried `v`; they are recognised by a key only they used or an old-style
 * value. A link holding only `type=` is read as new (codes): the formats cannot be told apart.
 */
export function isLegacyQuery(text: string): boolean {
  let p: URLSearchParams;
  try {
    p = new URLSearchParams(text.replace(/^[?#]/, ''));
  } catch {
    return false;
  }
  if (p.has('v')) return false;
  return p.has('dates') || p.has('hot') || p.has('fill') || p.has('draw') || (p.get('how') ?? '').includes('.') || (p.get('at') ?? '').includes('/');
}

/**
 * Old link → new query text. Only the syntax is translated here; every value is still checked
 * by `parseViewState`. Type names become `typetext` (codes need the loaded data).
 */
export function legacyToQuery(text: string): { query: string; messages: string[] } {
  const old = new URLSearchParams(text.replace(/^[?#]/, ''));
  const out = new URLSearchParams();
  const messages: string[] = [];
  out.set('v', '1');
  const dates = old.get('dates');
  if (dates !== null) {
    const [from, to, ...rest] = dates.split('..');
    if (from && to && rest.length === 0) {
      out.set('from', from);
      out.set('to', to);
    } else messages.push('Ignored the link setting `dates`: write it as start..end.');
  }
  const how = old.get('how');
  if (how !== null) {
    // Old brush: first..last weekday and first..last hour, both inclusive.
    const parts = how.split('.').map(Number);
    const ok = parts.length === 4 && parts.every((v) => Number.isInteger(v)) && parts[0]! >= 0 && parts[0]! <= parts[1]! && parts[1]! <= 6 && parts.slice(2).every((h) => h >= 0 && h <= 23);
    if (ok) {
      const [d0, d1, h0, h1] = parts as [number, number, number, number];
      out.set('days', Array.from({ length: d1 - d0 + 1 }, (_, i) => d0 + i).join(','));
      if (!(h0 === (h1 + 1) % 24)) out.set('hours', `${h0}-${(h1 + 1) % 24}`);
    } else messages.push('Ignored the link setting `how`: it is not a weekday and hour range.');
  }
  for (const t of old.getAll('type')) out.append('typetext', t);
  for (const a of old.getAll('area')) out.append('area', a);
  const bbox = old.get('bbox');
  if (bbox !== null) out.set('bbox', bbox);
  const layers = { ...DEFAULT_LAYERS };
  if (old.get('hot') === '1') layers.hotspots = true;
  if (old.get('draw') === 'density') layers.density = true;
  if (LAYER_IDS.some((id) => layers[id] !== DEFAULT_LAYERS[id])) out.set('layers', LAYER_IDS.filter((id) => layers[id]).join(','));
  const fill = old.get('fill');
  if (fill !== null) out.set('fill', fill);
  const at = old.get('at');
  if (at !== null) {
    const [zoom, lat, lon, ...rest] = at.split('/');
    if (zoom && lat && lon && rest.length === 0) out.set('at', `${lon},${lat},${zoom}`);
    else messages.push('Ignored the link setting `at`: the map position is not zoom/lat/lon.');
  }
  for (const key of new Set(old.keys())) {
    if (!LEGACY_KEYS.includes(key)) messages.push(`Ignored the unknown link setting \`${key.slice(0, 40)}\`.`);
  }
  return { query: out.toString(), messages };
}

/**
 * Replace `typeTexts` by a `types` clause once the codes behind those names are known
 * (`typeCodesForTexts` in src/data/queries/views.ts). Codes merge with any type codes already
 * filtered; no match drops the filter with a sentence rather than hiding every call.
 */
export function withTypeCodes(state: ViewState, codes: readonly (string | null)[]): { state: ViewState; messages: string[] } {
  const texts = state.typeTexts ?? [];
  const { typeTexts: _dropped, ...rest } = state;
  if (texts.length === 0) return { state: rest, messages: [] };
  if (codes.length === 0) {
    const shown = texts.slice(0, 3).map((t) => `“${t.slice(0, 60)}”`).join(', ');
    return { state: rest, messages: [`No call in this dataset has the linked type${texts.length > 1 ? 's' : ''} ${shown}; the type filter was not applied.`] };
  }
  const existing = rest.filters.find((f) => f.kind === 'types');
  const merged = [...new Set([...(existing?.kind === 'types' ? existing.codes : []), ...codes])].slice(0, LIMITS.listItems);
  return { state: { ...rest, filters: [...rest.filters.filter((f) => f.kind !== 'types'), { kind: 'types', codes: merged }] }, messages: [] };
}
