// @vitest-environment happy-dom
/**
 * URL state and saved views: filters, layer toggles and camera survive a round trip; hostile,
 * malformed or oversized links open the default view with one sentence per ignored setting.
 * Saved views use the DOM environment's real localStorage.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/data/db-types';
import { toRows } from '../../src/data/rows';
import { sql } from '../../src/data/sql';
import type { ClauseSpec } from '../../src/state/clauses';
import { typeCodesForTexts } from '../../src/data/queries/views';
import { deleteView, LEGACY_SAVED_VIEWS_KEY, listSavedViews, SAVED_VIEWS_KEY, saveView } from '../../src/state/saved-views';
import { Selection } from '../../src/state/selection';
import {
  clausesFromFilters,
  DEFAULT_LAYERS,
  defaultViewState,
  filtersFromSelection,
  parseAnyViewState,
  parseViewState,
  readViewLocation,
  serializeViewState,
  type ViewState,
  viewFragment,
  withTypeCodes,
} from '../../src/state/url';
import { openTestDb } from '../engine';

const filters: ClauseSpec[] = [
  { kind: 'time', start: '2026-08-01', end: '2026-09-15T06:00' },
  { kind: 'hours', startHour: 20, endHour: 2 },
  { kind: 'weekdays', days: [0, 1, 2, 3, 4] },
  { kind: 'hourOfWeek', cells: [0, 25, 167] },
  { kind: 'types', codes: ['LOIT', "'); DROP TABLE calls; --", '<img src=x onerror=alert(1)>', 'a&b=c#d', null] },
  { kind: 'tiers', tiers: [1, null] },
  { kind: 'areas', ids: ['A01', null] },
  { kind: 'bbox', west: -89.62, south: 35.43, east: -89.58, north: 35.47 },
  { kind: 'polygon', ring: [[-89.61, 35.44], [-89.59, 35.445], [-89.6, 35.46]] },
];
const full: ViewState = {
  filters,
  layers: { ...DEFAULT_LAYERS, hotspots: true, stops: false },
  camera: { lon: -89.6, lat: 35.45, zoom: 13.25 },
};

describe('view state in the URL', () => {
  it('round-trips filters, layer toggles and the camera', () => {
    const text = serializeViewState(full);
    const { state, messages } = parseViewState(`#${text}`);
    expect(messages).toEqual([]);
    expect(state).toEqual(full);
    expect(serializeViewState(state)).toBe(text);
    expect(parseViewState('').state).toEqual(defaultViewState());
    const allOff = { ...full, layers: Object.fromEntries(Object.keys(DEFAULT_LAYERS).map((k) => [k, false])) as ViewState['layers'] };
    expect(parseViewState(serializeViewState(allOff)).state.layers).toEqual(allOff.layers);
  });

  it('rebuilds the same SQL from a parsed link as from the live selection', () => {
    const live = new Selection();
    const tierMap = { version: 1 as const, rules: [{ typeCode: 'LOIT', tier: 1 as const }] };
    live.replaceAll(clausesFromFilters(filters, { tierMap }).clauses);
    const { state } = parseViewState(serializeViewState({ ...full, filters: filtersFromSelection(live) }), { tierMap });
    const again = new Selection();
    const rebuilt = clausesFromFilters(state.filters, { tierMap });
    expect(rebuilt.messages).toEqual([]);
    again.replaceAll(rebuilt.clauses);
    expect(again.predicate(null)).toEqual(live.predicate(null));
    expect(again.clauses().map((c) => c.source)).toEqual(['time-series', 'heatmap', 'heatmap', 'heatmap', 'type-bars', 'type-bars', 'area-table', 'map', 'map']);
    expect(clausesFromFilters([{ kind: 'tiers', tiers: [1] }]).messages[0]).toMatch(/tiers filter was not applied: .*tier map/);
  });

  it('refuses unknown keys, prototype names, wrong types and repeats, keeping the rest', () => {
    const { state, messages } = parseViewState(
      '?__proto__=x&constructor=y&prototype=z&evil=1&hours=25-2&days=mon&bbox=1,2,3&at=-89.6,35.45,13&tier=4&from=2026-02-30&to=2026-03-01&layers=calls,rockets&area=A1&hours=1-2&type=OK',
    );
    expect(({} as Record<string, unknown>).x).toBeUndefined();
    expect(state.camera).toEqual({ lon: -89.6, lat: 35.45, zoom: 13 });
    expect(state.filters).toEqual([
      { kind: 'types', codes: ['OK'] },
      { kind: 'areas', ids: ['A1'] },
    ]);
    expect(state.layers).toEqual(DEFAULT_LAYERS);
    expect(messages).toEqual([
      'Ignored the link setting `__proto__`: that name is not allowed.',
      'Ignored the link setting `constructor`: that name is not allowed.',
      'Ignored the link setting `prototype`: that name is not allowed.',
      'Ignored the unknown link setting `evil`.',
      'Ignored the link setting `hours`: it appears 2 times.',
      'Ignored the link filter `from/to`: "2026-02-30" is not a real calendar date or time.',
      'Ignored the link filter `days`: Weekdays must be whole numbers separated by commas.',
      'Ignored the link filter `tier`: tiers are 1, 2, 3 or u (unknown), separated by commas.',
      'Ignored the link filter `bbox`: The map box must be 4 numbers separated by commas.',
      'Ignored the link setting `layers`: unknown layer `rockets`.',
    ]);
  });

  it('opens the default view for an oversized link and limits each value', () => {
    const huge = parseViewState(`type=${'A'.repeat(9000)}`);
    expect(huge.state).toEqual(defaultViewState());
    expect(huge.messages).toEqual(['The link is 9,005 characters long (at most 8,000); it was ignored and the default view is shown.']);
    const long = parseViewState(`type=${'B'.repeat(201)}&at=0,100,3&days=9`);
    expect(long.state).toEqual(defaultViewState());
    expect(long.messages).toEqual([
      'Ignored the link setting `type`: its value is longer than 200 characters.',
      'Ignored the link filter `days`: A weekday must be a whole number from 0 to 6 (got 9).',
      'Ignored the link setting `at`: The map position is outside the world (lon ±180, lat ±85, zoom 0–24).',
    ]);
    const many = parseViewState(Array.from({ length: 501 }, (_, i) => `area=${i}`).join('&'));
    expect(many.messages).toEqual(['Ignored the link setting `area`: more than 500 values.']);
  });

  describe('hostile type names survive the link as data', () => {
    let db: Db;
    beforeAll(async () => {
      db = await openTestDb();
      await db.query(`CREATE TABLE calls AS SELECT * FROM (VALUES ('''); DROP TABLE calls; --'), ('<img src=x onerror=alert(1)>'), ('a&b=c#d'), ('plain')) t(type_code)`);
    });
    afterAll(async () => db?.close());

    it('filters by the exact strings', async () => {
      const { state } = parseViewState(serializeViewState(full));
      const types = clausesFromFilters(state.filters.filter((f) => f.kind === 'types')).clauses[0]!;
      const rows = toRows(await db.query(sql`SELECT type_code FROM calls WHERE ${types.predicate} ORDER BY 1`));
      expect(rows.map((r) => r.type_code)).toEqual(["'); DROP TABLE calls; --", '<img src=x onerror=alert(1)>', 'a&b=c#d']);
    });
  });
});

describe('saved views (localStorage)', () => {
  beforeEach(() => localStorage.clear());

  it('saves, lists, overwrites by name and deletes', () => {
    saveView('Night disorder', full, localStorage, new Date('2026-09-20T08:00:00Z'));
    saveView('Everything', defaultViewState(), localStorage, new Date('2026-09-20T09:00:00Z'));
    saveView('Night disorder', { ...full, camera: null }, localStorage, new Date('2026-09-21T08:00:00Z'));
    const { views, messages } = listSavedViews(localStorage);
    expect(messages).toEqual([]);
    expect(views.map((v) => [v.name, v.savedAt])).toEqual([
      ['Everything', '2026-09-20T09:00:00.000Z'],
      ['Night disorder', '2026-09-21T08:00:00.000Z'],
    ]);
    expect(views[1]!.state).toEqual({ ...full, camera: null });
    deleteView('Everything', localStorage);
    expect(listSavedViews(localStorage).views.map((v) => v.name)).toEqual(['Night disorder']);
    expect(() => saveView('   ', full, localStorage)).toThrow(/Give the view a name/);
  });

  it('reads tampered storage through the same allow-list', () => {
    localStorage.setItem(
      SAVED_VIEWS_KEY,
      // Written as text: an object literal's __proto__ would set the prototype, not a key.
      `[{"name":"ok","savedAt":"2026-09-20T08:00:00.000Z","query":"v=1&hours=20-2&__proto__=1"},
        {"name":"extra key","savedAt":"2026-09-20T08:00:00.000Z","query":"","__proto__":{"polluted":true}},
        {"name":"x","savedAt":"yesterday","query":""}, "not an object"]`,
    );
    const { views, messages } = listSavedViews(localStorage);
    expect(views).toHaveLength(1);
    expect(views[0]!.state.filters).toEqual([{ kind: 'hours', startHour: 20, endHour: 2 }]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(messages).toEqual(['3 saved view(s) had an unexpected shape and were skipped.', 'Saved view “ok”: Ignored the link setting `__proto__`: that name is not allowed.']);
    localStorage.setItem(SAVED_VIEWS_KEY, '{not json');
    expect(listSavedViews(localStorage).messages).toEqual(['The saved views in this browser are damaged (not valid JSON) and were not loaded.']);
  });
});

// Links written by the dashboard before it moved onto url.ts (query or fragment, type by text).
const HOSTILE_TEXTS = ['THEFT', '<img src=x onerror=alert(1)>', 'A&B=C#D'];
const OLD_LINK = `dates=2026-07-01..2026-08-01&how=0.4.20.1&${HOSTILE_TEXTS.map((t) => `type=${encodeURIComponent(t)}`).join('&')}&area=n-7&bbox=-89.61000,35.44000,-89.59000,35.46000&hot=1&draw=density&at=13.25/35.45000/-89.60000`;

describe('the view lives in the fragment; old links still open', () => {
  it('writes the fragment and prefers it over the query string', () => {
    const fragment = viewFragment(full);
    expect(fragment.startsWith('#v=1&')).toBe(true);
    expect(readViewLocation({ hash: fragment, search: '?hours=1-2&v=1' }).state).toEqual(full);
    // A query-string link in the new format (pasted by hand) still opens.
    expect(readViewLocation({ hash: '', search: `?${serializeViewState(full)}` }).state).toEqual(full);
    expect(readViewLocation({ hash: '#', search: '' }).state).toEqual(defaultViewState());
  });

  it('converts an old link, from the query string or the fragment, to the same filters', () => {
    for (const loc of [{ hash: '', search: `?${OLD_LINK}` }, { hash: `#${OLD_LINK}`, search: '' }]) {
      const { state, messages } = readViewLocation(loc);
      expect(messages).toEqual([]);
      expect(state.filters).toEqual([
        { kind: 'time', start: '2026-07-01', end: '2026-08-01' },
        // Old brush Mon..Fri, 20:00..01:xx inclusive = weekdays 0–4 and hours [20, 2).
        { kind: 'hours', startHour: 20, endHour: 2 },
        { kind: 'weekdays', days: [0, 1, 2, 3, 4] },
        { kind: 'areas', ids: ['n-7'] },
        { kind: 'bbox', west: -89.61, south: 35.44, east: -89.59, north: 35.46 },
      ]);
      expect(state.typeTexts).toEqual(HOSTILE_TEXTS);
      expect(state.layers).toEqual({ ...DEFAULT_LAYERS, hotspots: true, density: true });
      expect(state.camera).toEqual({ lon: -89.6, lat: 35.45, zoom: 13.25 });
      // Re-written in the new format, the type names are kept until codes are known.
      expect(parseViewState(viewFragment(state)).state).toEqual(state);
    }
    expect(parseAnyViewState('how=0.6.0.23').state.filters).toEqual([{ kind: 'weekdays', days: [0, 1, 2, 3, 4, 5, 6] }]);
  });

  it('round-trips any list of type names through an old link (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 60 }), { minLength: 1, maxLength: 8 }), (types) => {
        const old = new URLSearchParams([['dates', '2026-07-01..2026-08-01'], ...types.map((t) => ['type', t] as [string, string])]).toString();
        const { state } = parseAnyViewState(`#${old}`);
        expect(state.typeTexts).toEqual(types);
        expect(parseViewState(serializeViewState(state)).state.typeTexts).toEqual(types);
      }),
    );
  });

  it('drops invalid parts of an untrusted old link, keeping the rest', () => {
    const { state, messages } = parseAnyViewState('?dates=2026-13-01..x&how=0.9.20.1&bbox=1,2,nan,4&at=99/0/0&fill=javascript:&draw=x&type=OK&area=a&evil=1');
    expect(state.filters).toEqual([{ kind: 'areas', ids: ['a'] }]);
    expect(state.typeTexts).toEqual(['OK']);
    expect(state.layers).toEqual(DEFAULT_LAYERS);
    expect(state.camera).toBeNull();
    expect(messages).toEqual([
      'Ignored the link setting `how`: it is not a weekday and hour range.',
      'Ignored the unknown link setting `evil`.',
      'Ignored the link filter `from/to`: "2026-13-01" is not a real calendar date or time.',
      'Ignored the link filter `bbox`: The map box must be 4 numbers separated by commas.',
      'Ignored the link setting `fill`: the area shading is `rate` or `change`.',
      'Ignored the link setting `at`: The map position is outside the world (lon ±180, lat ±85, zoom 0–24).',
    ]);
    // the old link's area shading is kept when it is one the map knows
    expect(parseAnyViewState('?dates=2026-07-01..2026-08-01&fill=change').state.areaFill).toBe('change');
    expect(parseViewState(serializeViewState({ ...parseAnyViewState('?hot=1&fill=rate').state })).state).toMatchObject({ areaFill: 'rate', layers: { hotspots: true } });
    expect(parseAnyViewState(`?dates=2026-07-01..2026-08-01&type=${'x'.repeat(5000)}`).messages).toEqual(['Ignored the link setting `typetext`: its value is longer than 200 characters.']);
  });

  describe('type names become codes once the data are loaded', () => {
    let db: Db;
    beforeAll(async () => {
      db = await openTestDb();
      await db.query(`CREATE TABLE calls AS SELECT * FROM (VALUES
        ('THEFT', 'THEFT'), ('21', '<img src=x onerror=alert(1)>'), ('21', 'Theft of vehicle'), ('X', 'A&B=C#D'), ('Y', 'other'), (NULL, NULL)) t(type_code, type_text)`);
    });
    afterAll(async () => db?.close());

    it('finds the codes behind hostile texts and filters the same calls as the old text filter', async () => {
      const { state } = readViewLocation({ hash: '', search: `?${OLD_LINK}` });
      const codes = toRows(await db.query(typeCodesForTexts(state.typeTexts ?? []))).map((r) => r.type_code as string | null);
      expect(codes).toEqual(['21', 'THEFT', 'X']);
      const resolved = withTypeCodes(state, codes);
      expect(resolved.messages).toEqual([]);
      expect(resolved.state.typeTexts).toBeUndefined();
      const types = clausesFromFilters(resolved.state.filters.filter((f) => f.kind === 'types')).clauses[0]!;
      // Codes widen to every call of the code (one code, several texts): that is the new meaning.
      const byCode = toRows(await db.query(sql`SELECT type_text FROM calls WHERE ${types.predicate} ORDER BY 1`)).map((r) => r.type_text);
      expect(byCode).toEqual(['<img src=x onerror=alert(1)>', 'A&B=C#D', 'THEFT', 'Theft of vehicle']);
      expect(withTypeCodes({ ...state, typeTexts: ['gone'] }, []).messages).toEqual(['No call in this dataset has the linked type “gone”; the type filter was not applied.']);
      expect(toRows(await db.query(typeCodesForTexts([])))).toEqual([]);
    });
  });
});

describe('saved views kept by the old dashboard', () => {
  beforeEach(() => localStorage.clear());

  it('are converted once from the old key and saved under the shared one', () => {
    localStorage.setItem(
      LEGACY_SAVED_VIEWS_KEY,
      JSON.stringify([
        { name: 'Nights', query: OLD_LINK, savedAt: '2026-11-25T00:00:00.000Z' },
        { name: 'bad', query: 'dates=x', savedAt: 'yesterday' },
        'junk',
      ]),
    );
    const first = listSavedViews(localStorage);
    expect(first.messages).toEqual(['2 view(s) saved by an older version could not be read and were skipped.']);
    expect(first.views.map((v) => v.name)).toEqual(['Nights']);
    expect(first.views[0]!.state).toEqual(readViewLocation({ hash: '', search: `?${OLD_LINK}` }).state);
    expect(localStorage.getItem(SAVED_VIEWS_KEY)).not.toBeNull();
    // Deleting the migrated view must not bring it back from the old key.
    deleteView('Nights', localStorage);
    expect(listSavedViews(localStorage).views).toEqual([]);
    localStorage.setItem(SAVED_VIEWS_KEY, '');
    localStorage.removeItem(SAVED_VIEWS_KEY);
    localStorage.setItem(LEGACY_SAVED_VIEWS_KEY, '{not json');
    expect(listSavedViews(localStorage).messages).toEqual(['The views saved by an older version are damaged (not valid JSON) and were not loaded.']);
  });
});
