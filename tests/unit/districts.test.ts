import { PathLayer, TextLayer } from '@deck.gl/layers';
import { length as turfLength } from '@turf/turf';
import type { Polygon } from 'geojson';
import { beforeAll, describe, expect, it } from 'vitest';
import { dashMetersAtZoom, describeDistrictPick, districtDashes, districtLabels, districtsLayers } from '../../src/map/layers/districts-layer';
import { loadDeckClasses } from '../../src/map/layers/deck-classes';
import { classifyBoundary, nestedShare } from '../../src/state/classify-boundaries';
import { getDistricts, resetDistricts } from '../../src/state/districts';
import { routeBoundaryFile } from '../../src/state/districts-import';

beforeAll(async () => {
  await loadDeckClasses();
});

const rect = (w: number, s: number, e: number, n: number): Polygon => ({ type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] });
/** A cols×rows grid of cells over lon -90.1..-90.0, lat 29.9..30.0 (about 10 × 11 km). */
function grid(cols: number, rows: number, prefix: string) {
  const out: { name: string; geometry: Polygon }[] = [];
  for (let i = 0; i < cols; i++) for (let j = 0; j < rows; j++) out.push({ name: `${prefix} ${i}-${j}`, geometry: rect(-90.1 + (0.1 * i) / cols, 29.9 + (0.1 * j) / rows, -90.1 + (0.1 * (i + 1)) / cols, 29.9 + (0.1 * (j + 1)) / rows) });
  return out;
}
const areas = grid(4, 4, 'Neighbourhood');
const XSS = 'North <img src=x onerror=alert(1)>';

describe('boundary classification', () => {
  it('takes districts/beats from the file name, the name property or the names', () => {
    expect(classifyBoundary({ fileName: 'data/NOPD_Police_Districts.geojson', nameProperty: null, features: grid(2, 1, 'X'), loadedAreas: null }).kind).toBe('districts');
    expect(classifyBoundary({ fileName: 'beats2024.json', nameProperty: null, features: grid(2, 1, 'X'), loadedAreas: null }).kind).toBe('districts');
    expect(classifyBoundary({ fileName: 'shapes.geojson', nameProperty: 'zone_name', features: grid(2, 1, 'X'), loadedAreas: null }).kind).toBe('districts');
    expect(classifyBoundary({ fileName: 'shapes.geojson', nameProperty: 'name', features: grid(2, 1, 'Sector'), loadedAreas: null }).kind).toBe('districts');
    // "Beaton" and "zoned" are not the words: no false positive from a neighbourhood's name
    expect(classifyBoundary({ fileName: 'neighborhoods.geojson', nameProperty: 'name', features: [{ name: 'Beaton Park', geometry: rect(0, 0, 1, 1) }, { name: 'Rezoned Flats', geometry: rect(1, 0, 2, 1) }], loadedAreas: null }).kind).toBe('areas');
  });

  it('uses a first boundary file without district words as the areas (unchanged behaviour)', () => {
    expect(classifyBoundary({ fileName: 'nola_neighborhood_statistical_areas.geojson', nameProperty: 'gnocdc_lab', features: areas, loadedAreas: null })).toMatchObject({ kind: 'areas' });
  });

  it('recognises a coarser or finer partition of the loaded areas, the same file again, and asks otherwise', () => {
    expect(classifyBoundary({ fileName: 'a.geojson', nameProperty: 'name', features: grid(2, 1, 'D'), loadedAreas: areas }).kind).toBe('districts');
    expect(classifyBoundary({ fileName: 'a.geojson', nameProperty: 'name', features: grid(8, 8, 'B'), loadedAreas: areas }).kind).toBe('districts');
    expect(classifyBoundary({ fileName: 'a.geojson', nameProperty: 'name', features: areas, loadedAreas: areas }).kind).toBe('areas');
    // another city's neighbourhoods: same count, no nesting
    const elsewhere = grid(4, 4, 'Other').map((f) => ({ ...f, geometry: rect(10, 10, 10.1, 10.1) }));
    const r = classifyBoundary({ fileName: 'a.geojson', nameProperty: 'name', features: elsewhere, loadedAreas: areas });
    expect(r.kind).toBe('ask');
    expect(r.reason).toMatch(/neither names districts nor nests/);
    // two districts far away: coarser by count, but they contain no area
    expect(nestedShare(areas, grid(2, 1, 'D').map((f) => ({ ...f, geometry: rect(10, 10, 10.1, 10.1) })))).toBe(0);
  });

  it('routes a dropped districts file to the overlay and an unclear one to the question', () => {
    resetDistricts();
    const fc = (features: { name: string; geometry: Polygon }[]) => new TextEncoder().encode(JSON.stringify({ type: 'FeatureCollection', features: features.map((f) => ({ type: 'Feature', properties: { name: f.name }, geometry: f.geometry })) }));
    const loaded = areas.map((a, i) => ({ id: String(i), name: a.name, geometry: a.geometry, areaKm2: 1, properties: {} }));
    const notes = routeBoundaryFile({ name: 'police_districts.geojson', bytes: fc([{ name: XSS, geometry: rect(-90.1, 29.9, -90.05, 30) }, { name: 'South', geometry: rect(-90.05, 29.9, -90, 30) }]) }, loaded);
    expect(notes?.[0]).toMatch(/districts\/beats layer.*calls stay assigned/);
    expect(getDistricts().features?.map((f) => f.name)).toEqual([XSS, 'South']);
    expect(routeBoundaryFile({ name: 'areas.geojson', bytes: fc(areas) }, loaded)).toBeNull();
    expect(routeBoundaryFile({ name: 'x.geojson', bytes: fc(grid(4, 4, 'Q').map((f) => ({ ...f, geometry: rect(10, 10, 10.1, 10.1) }))) }, loaded)?.[0]).toMatch(/Choose in the Layers panel/);
    expect(getDistricts().pending?.file.name).toBe('x.geojson');
    resetDistricts();
  });
});

describe('districts layer factory', () => {
  const districts = grid(2, 1, 'District');
  it('cuts each outline into dashes covering about half its length', () => {
    const dashMeters = 200;
    const dashes = districtDashes(districts, dashMeters);
    const drawn = dashes.reduce((s, d) => s + turfLength({ type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: d.path } }, { units: 'meters' }), 0);
    const perimeter = districts.reduce((s, d) => s + turfLength({ type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: d.geometry.coordinates[0]! } }, { units: 'meters' }), 0);
    expect(drawn / perimeter).toBeGreaterThan(0.45);
    expect(drawn / perimeter).toBeLessThan(0.55);
    expect(new Set(dashes.map((d) => d.name))).toEqual(new Set(districts.map((d) => d.name)));
    expect(dashMetersAtZoom(12)).toBeGreaterThan(dashMetersAtZoom(15) * 7);
  });

  it('draws casing, pickable dashes and labels from zoom 11, and describes a pick as text', () => {
    const layers = districtsLayers(districtDashes(districts, dashMetersAtZoom(12)), districtLabels(districts), { zoom: 10, opacity: 0.6 });
    expect(layers.map((l) => l.id)).toEqual(['districts-casing', 'districts-outline', 'districts-labels']);
    expect(layers[1]).toBeInstanceOf(PathLayer);
    expect(layers[1]!.props.pickable).toBe(true);
    expect(layers[1]!.props.opacity).toBe(0.6);
    expect(layers[2]).toBeInstanceOf(TextLayer);
    expect(layers[2]!.props.visible).toBe(false);
    expect(districtsLayers([], districtLabels(districts), { zoom: 11 })[2]!.props.visible).toBe(true);
    expect(describeDistrictPick('districts-outline', { name: XSS })).toBe(`District/beat: ${XSS}`);
    expect(describeDistrictPick('areas', { name: 'x' })).toBeNull();
    // labels sit inside their district
    const [west] = districtLabels(districts);
    expect(west!.position[0]).toBeGreaterThan(-90.1);
    expect(west!.position[0]).toBeLessThan(-90.05);
  });
});
