import { HexagonLayer } from '@deck.gl/aggregation-layers';
import { ScatterplotLayer, TextLayer } from '@deck.gl/layers';
import type { FeatureCollection, LineString, Polygon } from 'geojson';
import { beforeAll, describe, expect, it } from 'vitest';
import { areaLabels, areaLabelsLayer } from '../../src/map/layers/area-labels-layer';
import { callsLayer, callsLayerMode, DENSITY_ABOVE_POINTS, DENSITY_BELOW_ZOOM, DOTS_FROM_ZOOM, hexRadiusForZoom } from '../../src/map/layers/calls-layer';
import { stopsLayer } from '../../src/map/layers/stops-layer';
import { CONTEXT_LAYER_IDS, contextLayers, routeDashes, widthAtZoom } from '../../src/map/layers/context-layers';
import { offlineStyle } from '../../src/map/offline-style';
import { densityRamp } from '../../src/map/palette';
import { pointsBounds } from '../../src/map/points-bounds';
import { loadDeckClasses } from '../../src/map/layers/deck-classes';

// The factories take deck.gl's classes from the registry the lazy map chunk fills.
beforeAll(async () => {
  await loadDeckClasses();
});

function points(n: number) {
  const positions = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    positions[2 * i] = -90.1 + (i % 100) * 1e-3;
    positions[2 * i + 1] = 29.9 + Math.floor(i / 100) * 1e-4;
  }
  return { positions, length: n };
}

describe('calls layer factory', () => {
  it('draws dots up to the threshold and hexagon density above it or when zoomed out', () => {
    expect(callsLayerMode(DENSITY_ABOVE_POINTS, { zoom: 12 })).toBe('points');
    expect(callsLayerMode(DENSITY_ABOVE_POINTS + 1, { zoom: 12 })).toBe('density');
    expect(callsLayerMode(10, { zoom: DENSITY_BELOW_ZOOM - 0.01 })).toBe('density');
    expect(callsLayerMode(10, { zoom: DENSITY_BELOW_ZOOM })).toBe('points');
    expect(callsLayer(points(1000), { zoom: 12 })).toBeInstanceOf(ScatterplotLayer);
    expect(callsLayer(points(DENSITY_ABOVE_POINTS + 1), { zoom: 12 })).toBeInstanceOf(HexagonLayer);
  });

  it('keeps a big dataset as density at city zoom but brings dots back on a few streets', () => {
    expect(DENSITY_ABOVE_POINTS).toBe(20_000);
    expect(callsLayerMode(50_149, { zoom: 12 })).toBe('density');
    expect(callsLayerMode(50_149, { zoom: DOTS_FROM_ZOOM - 0.01 })).toBe('density');
    expect(callsLayerMode(50_149, { zoom: DOTS_FROM_ZOOM })).toBe('points');
    expect(callsLayerMode(6_326, { zoom: 12 })).toBe('points');
    expect(callsLayerMode(50_149, { zoom: 12, forceMode: 'points' })).toBe('points');
    expect(callsLayer(points(100), { zoom: 13, opacity: 0.4 }).props.opacity).toBe(0.4);
  });

  it('hands deck.gl the Float64 positions as a binary attribute, no per-row objects', () => {
    const p = points(500);
    const layer = callsLayer(p, { zoom: 13 });
    const data = layer.props.data as unknown as { length: number; attributes: { getPosition: { value: Float64Array; size: number } } };
    expect(data.length).toBe(500);
    expect(data.attributes.getPosition.value).toBe(p.positions);
    expect(data.attributes.getPosition.size).toBe(2);
  });

  it('scales hexagons with zoom so a cell stays a similar size on screen', () => {
    expect(hexRadiusForZoom(12)).toBe(250);
    expect(hexRadiusForZoom(11)).toBe(500);
    expect(hexRadiusForZoom(20)).toBe(50);
  });
});

describe('area labels and stops', () => {
  const crescent: FeatureCollection<Polygon> = {
    type: 'FeatureCollection',
    features: [
      {
        type: 'Feature',
        properties: { name: 'Bend' },
        // a U shape: its centroid (≈ 0.5, 0.4) is in the empty middle, outside the polygon
        geometry: { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0.8, 1], [0.8, 0.2], [0.2, 0.2], [0.2, 1], [0, 1], [0, 0]]] },
      },
    ],
  };

  it('anchors labels inside their area, even for concave shapes', () => {
    const [label] = areaLabels(crescent);
    expect(label!.name).toBe('Bend');
    const [x, y] = label!.position;
    const insideArm = (x <= 0.2 || x >= 0.8 || y <= 0.2) && x >= 0 && x <= 1 && y >= 0 && y <= 1;
    expect(insideArm).toBe(true);
    expect(areaLabelsLayer([label!], { zoom: 13 })).toBeInstanceOf(TextLayer);
    expect(areaLabelsLayer([label!], { zoom: 10 }).props.visible).toBe(false);
  });

  it('shows stops when zoomed in or when hubs are flagged', () => {
    const stops = { type: 'FeatureCollection' as const, features: [{ type: 'Feature' as const, properties: { id: 's1' }, geometry: { type: 'Point' as const, coordinates: [-90, 30] } }] };
    expect(stopsLayer(stops, { zoom: 11 }).props.visible).toBe(false);
    expect(stopsLayer(stops, { zoom: 13 }).props.visible).toBe(true);
    expect(stopsLayer(stops, { zoom: 11, hubIds: new Set(['s1']) }).props.visible).toBe(true);
  });
});

describe('offline basemap', () => {
  it('needs nothing from the network and nothing from MapLibre\'s worker: no sources, tiles, glyphs or sprites', () => {
    const style = offlineStyle();
    expect(style.glyphs).toBeUndefined();
    expect(style.sprite).toBeUndefined();
    // a GeoJSON source here would make MapLibre's load/idle wait for its worker to tile it (issue #8)
    expect(Object.keys(style.sources)).toEqual([]);
    expect(style.layers.map((l) => l.type)).toEqual(['background']);
  });

  it('draws the loaded areas and routes as deck.gl context layers, routes dashed per zoom', () => {
    const areas: FeatureCollection<Polygon> = {
      type: 'FeatureCollection',
      features: [{ type: 'Feature', properties: { id: 'A1' }, geometry: { type: 'Polygon', coordinates: [[[-90.1, 29.9], [-90.0, 29.9], [-90.0, 30.0], [-90.1, 29.9]]] } }],
    };
    // about 9.6 km east-west
    const routes: FeatureCollection<LineString> = {
      type: 'FeatureCollection',
      features: [{ type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: [[-90.1, 29.95], [-90.0, 29.95]] } }],
    };
    const at12 = routeDashes(routes, 12);
    const at15 = routeDashes(routes, 15.7);
    // 3 px chunks at z12 are ~115 m: ~84 chunks, two of every three kept
    expect(at12.length).toBeGreaterThan(45);
    expect(at12.length).toBeLessThan(65);
    // three zoom levels in: 8x as many dashes, cut at whole zoom levels only
    expect(at15.length / at12.length).toBeGreaterThan(7);
    expect(at15.length / at12.length).toBeLessThan(9);
    expect(routeDashes(routes, 15)).toHaveLength(at15.length);
    const layers = contextLayers({ areas, routes }, { zoom: 12, dashes: at12 });
    expect(layers.map((l) => l.id)).toEqual([CONTEXT_LAYER_IDS.areas, CONTEXT_LAYER_IDS.routes]);
    expect(layers.every((l) => !l.props.pickable)).toBe(true);
    expect(contextLayers({ areas: null, routes: null }, { zoom: 12, dashes: [] })).toEqual([]);
    expect(widthAtZoom(8, 0.6, 1.6)).toBe(0.6);
    expect(widthAtZoom(12.5, 0.6, 1.6)).toBeCloseTo(1.1);
    expect(widthAtZoom(18, 0.6, 1.6)).toBe(1.6);
  });

  it('ramps from pale to dark (more calls = darker on a light map)', () => {
    const ramp = densityRamp(6);
    const lum = (c: number[]) => 0.2126 * c[0]! + 0.7152 * c[1]! + 0.0722 * c[2]!;
    for (let i = 1; i < ramp.length; i++) expect(lum(ramp[i]!)).toBeLessThan(lum(ramp[i - 1]!));
  });
});

describe('pointsBounds', () => {
  it('ignores a stray far-away call when framing the city', () => {
    const p = points(1000);
    p.positions[0] = -70; // one call geocoded 2,000 km away
    p.positions[1] = 45;
    const b = pointsBounds(p)!;
    expect(b[0]).toBeGreaterThan(-90.2);
    expect(b[2]).toBeLessThan(-89.9);
    expect(b[3]).toBeLessThan(30);
  });
  it('returns null for no points', () => {
    expect(pointsBounds({ positions: new Float64Array(0), length: 0 })).toBeNull();
  });
});
