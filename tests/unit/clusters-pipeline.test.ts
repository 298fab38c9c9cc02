import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clustersPipeline } from '../../src/analysis/clusters-pipeline';
import { parseHourWindows, windowContainsHour } from '../../src/analysis/hour-windows';
import { findHubs } from '../../src/analysis/hubs';
import { haversineMeters } from '../../src/analysis/local-projection';
import { resolveParams } from '../../src/analysis/params';
import { fetchCandidates, fetchMatchedTypes } from '../../src/data/queries/candidates';
import { toRows } from '../../src/data/rows';
import { sql } from '../../src/data/sql';
import { type DemoCity, demoReady, openDemoCity } from './demo-city';

describe.skipIf(!demoReady)('repeat-cluster pipeline on the demo city', () => {
  let city: DemoCity;
  beforeAll(async () => {
    city = await openDemoCity();
  }, 180_000);
  afterAll(async () => city?.db.close());

  it('with the default parameters reports the planted loitering cluster near hub H1 in the 20–02 window', async () => {
    const params = resolveParams().clusters;
    const windows = parseHourWindows(params.windows.join(','));
    const { hubs } = findHubs(city.gtfs);
    const planted = city.truth.patterns.loiteringNearHub;
    const h1 = hubs.find((h) => haversineMeters(h.lon, h.lat, planted.center.lon, planted.center.lat) < 100);
    expect(h1, 'H1 is inferred from the shapes').toBeDefined();
    const candidates = await fetchCandidates(city.db, params.types, windows);
    const matchedTypes = await fetchMatchedTypes(city.db, params.types);
    const r = await clustersPipeline({ candidates, params, stops: city.gtfs.stops, hubs, nearHubMeters: 150, matchedTypes });
    const match = r.clusters.find((c) => c.nearHub && c.nearestHub?.id === h1!.id);
    expect(match, 'a cluster near H1').toBeDefined();
    expect(match!.windowId).toBe('20-02');
    expect(haversineMeters(...match!.centroid, planted.center.lon, planted.center.lat)).toBeLessThan(planted.radiusMeters);
    expect(match!.distinctNights).toBeGreaterThanOrEqual(Math.floor(planted.observed.distinctNights * 0.7));
    expect(match!.nearestStop).not.toBeNull();
    expect(r.parameters).toMatchObject({ radiusMeters: 75, minCalls: 6, windows: ['20-02'], hubs: hubs.length, nearHubMeters: 150 });
    expect(r.perWindow[0]!.candidates).toBe(candidates.ids.length);
    // The default terms take these types, and say so: "disturbance" includes DOMESTIC DISTURBANCE.
    expect(matchedTypes.map((t) => t.typeCode).sort()).toEqual(['DIST', 'DOM', 'LOIT', 'SUSP', 'TRESP']);
  }, 120_000);

  it('candidate query equals a JS filter of the calls table (type phrase, hour windows crossing midnight)', async () => {
    const types = ['Loitering', 'suspicious person', 'TRESP'];
    const windows = parseHourWindows('20-02, 06-08');
    const where = sql`area_id IN ('A01', 'A02', 'A05')`;
    const got = await fetchCandidates(city.db, types, windows, { where });
    const rows = toRows(await city.db.query(sql`SELECT call_id, type_code, type_text, hour FROM calls WHERE ${where} AND lon IS NOT NULL AND lat IS NOT NULL`)) as {
      call_id: string;
      type_code: string;
      type_text: string;
      hour: number;
    }[];
    const phrase = (text: string, term: string) => new RegExp(`(^|[^a-z0-9])${term}($|[^a-z0-9])`).test(text.toLowerCase());
    const expected = rows
      .filter((r) => types.some((t) => r.type_code.toLowerCase() === t.toLowerCase() || phrase(r.type_text, t.toLowerCase())))
      .filter((r) => windows.some((w) => windowContainsHour(w, r.hour)))
      .map((r) => r.call_id)
      .sort();
    expect([...got.ids].sort()).toEqual(expected);
    expect(expected.length).toBeGreaterThan(50);
    expect(new Set(got.typeText)).toEqual(new Set(['LOITERING', 'SUSPICIOUS PERSON', 'TRESPASS']));
  }, 60_000);

  it('a hostile type term stays a parameter and matches nothing', async () => {
    const got = await fetchCandidates(city.db, ["x') OR 1=1 --", '(.*'], parseHourWindows('00-24'));
    expect(got.ids.length).toBe(0);
  });
});
