import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { activeFilterCount, clearFilter, describeFilter, NO_FILTERS, previousDay, toggleValue } from '../../src/state/dashboard-filters';
import { decodeView, encodeView, readSavedViews, type ViewState, writeSavedViews } from '../../src/state/view-url';

const view: ViewState = {
  filters: { dates: ['2026-07-01', '2026-08-01'], hourOfWeek: { dowFrom: 0, dowTo: 4, hourFrom: 20, hourTo: 1 }, types: ['THEFT', '<img src=x onerror=alert(1)>', 'A&B=C'], areas: ['n-7'], bbox: [-89.61, 35.44, -89.59, 35.46] },
  layers: { hotspots: true, areas: 'change', calls: 'points' },
  camera: { lon: -89.6, lat: 35.45, zoom: 13.25 },
};

describe('view in the URL', () => {
  it('round-trips filters, layers and camera, including hostile and reserved characters', () => {
    expect(decodeView(`?${encodeView(view)}`)).toEqual(view);
    expect(decodeView(encodeView({ filters: NO_FILTERS, layers: { hotspots: false, areas: 'none', calls: 'auto' }, camera: null }))).toEqual({
      filters: NO_FILTERS,
      layers: { hotspots: false, areas: 'none', calls: 'auto' },
      camera: null,
    });
  });

  it('round-trips any list of type names (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 60 }), { maxLength: 8 }), (types) => {
        const v = { ...view, filters: { ...view.filters, types } };
        expect(decodeView(encodeView(v)).filters.types).toEqual(types);
      }),
    );
  });

  it('drops invalid parts of an untrusted link, keeping the rest', () => {
    const v = decodeView('?dates=2026-13-01..x&how=0.9.20.1&bbox=1,2,nan,4&at=99/0/0&fill=javascript:&draw=x&type=OK&area=a');
    expect(v.filters).toEqual({ ...NO_FILTERS, types: ['OK'], areas: ['a'] });
    expect(v.layers).toEqual({ hotspots: false, areas: 'none', calls: 'auto' });
    expect(v.camera).toBeNull();
    expect(decodeView(`?type=${'x'.repeat(5000)}`).filters.types[0]).toHaveLength(200);
  });
});

describe('saved views (validated localStorage)', () => {
  it('stores, reads back and ignores corrupt entries', () => {
    const store = new Map<string, string>();
    const storage = { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v) };
    writeSavedViews([{ name: 'Nights', query: encodeView(view), savedAt: '2026-11-25T00:00:00Z' }], storage);
    expect(readSavedViews(storage)).toEqual([{ name: 'Nights', query: encodeView(view), savedAt: '2026-11-25T00:00:00Z' }]);
    store.set('callsight.saved-views.v1', '[{"name":1},{"name":"ok","query":"","savedAt":"x"},"junk"]');
    expect(readSavedViews(storage).map((v) => v.name)).toEqual(['ok']);
    store.set('callsight.saved-views.v1', '{not json');
    expect(readSavedViews(storage)).toEqual([]);
  });
});

describe('filter chips', () => {
  it('describes, counts, clears and toggles', () => {
    const f = view.filters;
    expect(activeFilterCount(f)).toBe(5);
    expect(describeFilter(f, 'dates')).toBe('2026-07-01 to 2026-07-31');
    expect(describeFilter(f, 'hourOfWeek')).toBe('Mon–Fri, 20:00–02:00');
    expect(describeFilter(f, 'types')).toBe('3 call types');
    expect(describeFilter(f, 'areas', new Map([['n-7', 'Riverside']]))).toBe('Riverside');
    expect(activeFilterCount(clearFilter(f, 'types'))).toBe(4);
    expect(toggleValue(['a', 'b'], 'a')).toEqual(['b']);
    expect(toggleValue(['a'], 'b')).toEqual(['a', 'b']);
    expect(previousDay('2026-03-01')).toBe('2026-02-28');
  });
});

describe('heatmap brush ⇄ dashboard brush', () => {
  it('converts the shared chart’s [start, end) window, including past midnight, both ways', async () => {
    const { fromChartBrush, toChartBrush } = await import('../../src/ui/charts/hour-of-week-heatmap');
    const night = { days: [0, 1, 2, 3, 4], startHour: 20, endHour: 2 };
    expect(fromChartBrush(night)).toEqual({ dowFrom: 0, dowTo: 4, hourFrom: 20, hourTo: 1 });
    expect(toChartBrush(fromChartBrush(night))).toEqual(night);
    expect(fromChartBrush({ days: [5, 6], startHour: 0, endHour: 24 })).toEqual({ dowFrom: 5, dowTo: 6, hourFrom: 0, hourTo: 23 });
    expect(toChartBrush({ dowFrom: 5, dowTo: 6, hourFrom: 0, hourTo: 23 })).toEqual({ days: [5, 6], startHour: 0, endHour: 24 });
    expect(fromChartBrush({ days: [], startHour: 1, endHour: 2 })).toBeNull();
    expect(toChartBrush(null)).toBeNull();
  });
});

describe('playback steps', () => {
  it('covers the data span in 7-day steps', async () => {
    const { weekStarts } = await import('../../src/ui/playback');
    expect(weekStarts({ start: '2026-06-29', end: '2026-09-28' })).toHaveLength(13);
    expect(weekStarts({ start: '2026-06-29', end: '2026-07-07' })).toEqual(['2026-06-29', '2026-07-06']);
  });
});
