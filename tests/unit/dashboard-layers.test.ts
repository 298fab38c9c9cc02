import { GeoJsonLayer, PolygonLayer } from '@deck.gl/layers';
import type { FeatureCollection, Polygon } from 'geojson';
import { beforeAll, describe, expect, it } from 'vitest';
import { areasLayer, CHANGE_BREAKS, changeClass, changeColour, rateScale } from '../../src/map/layers/areas-layer';
import { GI_CLASS_COLOURS, giClassColour, hotspotLayer, significantCells } from '../../src/map/layers/hotspot-layer';
import { bboxPolygon, selectionLayer } from '../../src/map/layers/selection-layer';
import { stopsLayer } from '../../src/map/layers/stops-layer';
import { hexToRgba } from '../../src/map/palette';
import type { HotspotCell } from '../../src/state/hotspot-cells';
import { loadDeckClasses } from '../../src/map/layers/deck-classes';

// The factories take deck.gl's classes from the registry the lazy map chunk fills.
beforeAll(async () => {
  await loadDeckClasses();
});

const square = (x: number): Polygon => ({ type: 'Polygon', coordinates: [[[x, 0], [x + 1, 0], [x + 1, 1], [x, 1], [x, 0]]] });
const cell = (id: string, bin: number): HotspotCell => ({ id, polygon: square(0), n: 5, z: bin * 1.5, p: 0.01, q: 0.02, bin, bounds: [0, 0, 1, 1] });

describe('hot-spot layer', () => {
  it('draws only significant cells, hot in reds and cold in blues, darker with confidence', () => {
    const cells = [cell('a', 3), cell('b', 0), cell('c', -2), cell('d', 1)];
    expect(significantCells(cells).map((c) => c.id)).toEqual(['a', 'c', 'd']);
    const layer = hotspotLayer(cells, { opacity: 0.5 });
    expect(layer).toBeInstanceOf(PolygonLayer);
    expect((layer.props.data as HotspotCell[]).length).toBe(3);
    expect(layer.props.opacity).toBe(0.5);
    const [r3, , b3] = giClassColour(3);
    const [r1, g1] = giClassColour(1);
    const [rc, , bc] = giClassColour(-3);
    expect(r3).toBeGreaterThan(b3!);
    expect(bc).toBeGreaterThan(rc!);
    // higher confidence = darker (lower luminance)
    expect(r3! + giClassColour(3)[1]!).toBeLessThan(r1! + g1!);
    expect(giClassColour(0)[3]).toBe(0);
    expect(Object.keys(GI_CLASS_COLOURS)).toHaveLength(6);
  });
});

describe('areas layer', () => {
  const areas: FeatureCollection<Polygon> = {
    type: 'FeatureCollection',
    features: [0, 2].map((x, i) => ({ type: 'Feature', id: `a${i}`, properties: { id: `a${i}`, name: `Area ${i}` }, geometry: square(x) })),
  };

  it('classes change in percent at the stated breaks', () => {
    expect(CHANGE_BREAKS).toEqual([-50, -25, -10, 10, 25, 50]);
    expect(changeClass(-80)).toBe(0);
    expect(changeClass(-10)).toBe(3);
    expect(changeClass(0)).toBe(3);
    expect(changeClass(9.9)).toBe(3);
    expect(changeClass(10)).toBe(4);
    expect(changeClass(300)).toBe(6);
    expect(changeColour(null)[3]).toBe(0);
    expect(changeColour(0)).toEqual(hexToRgba('#f7f7f7', 200));
  });

  it('fills by rate, by change, or not at all; outlines always', () => {
    const values = new Map([
      ['a0', { perKm2: 10, changePct: 40 }],
      ['a1', { perKm2: 100, changePct: -60 }],
    ]);
    const fillOf = (choropleth: 'none' | 'rate' | 'change', id: string) => {
      const layer = areasLayer(areas, { choropleth, values });
      expect(layer).toBeInstanceOf(GeoJsonLayer);
      const get = (layer.props as unknown as { getFillColor: (f: unknown) => number[] }).getFillColor;
      return get(areas.features.find((f) => f.id === id));
    };
    expect(fillOf('none', 'a0')[3]).toBe(0);
    expect(fillOf('change', 'a1')).toEqual(changeColour(-60));
    const scale = rateScale([10, 100]);
    expect(fillOf('rate', 'a1')).toEqual(scale.colour(100));
    expect(fillOf('rate', 'a0')).not.toEqual(fillOf('rate', 'a1'));
    expect(scale.thresholds).toHaveLength(4);
  });
});

describe('selection and stops', () => {
  it('outlines the selected rectangle as a closed ring', () => {
    expect(bboxPolygon([1, 2, 3, 4])).toEqual([[1, 2], [3, 2], [3, 4], [1, 4], [1, 2]]);
    expect(selectionLayer([1, 2, 3, 4])).toBeInstanceOf(PolygonLayer);
  });

  it('keeps hubs at city zoom and brings back every stop when zoomed in', () => {
    const stops = {
      type: 'FeatureCollection' as const,
      features: ['s1', 's2', 's3'].map((id) => ({ type: 'Feature' as const, properties: { id }, geometry: { type: 'Point' as const, coordinates: [-90, 30] } })),
    };
    const hubIds = new Set(['s2']);
    expect((stopsLayer(stops, { zoom: 11, hubIds }).props.data as unknown[]).length).toBe(1);
    expect((stopsLayer(stops, { zoom: 13, hubIds }).props.data as unknown[]).length).toBe(3);
  });
});

describe('repeat-report clusters', () => {
  it('labels the biggest clusters (plus the selected one) and says calls · nights', async () => {
    const { clusterLabel, clustersLayers, labelledClusters } = await import('../../src/map/layers/clusters-layer');
    const mk = (id: string, calls: number) =>
      ({ id, calls, distinctNights: calls - 1, nearHub: id === 'c', hull: square(0), centroid: [0.5, 0.5] }) as unknown as import('../../src/analysis/repeat-clusters').RepeatCluster;
    const list = [mk('a', 6), mk('b', 40), mk('c', 39), mk('d', 7)];
    expect(labelledClusters(list, 2).map((c) => c.id)).toEqual(['b', 'c']);
    expect(labelledClusters(list, 2, 'a').map((c) => c.id)).toEqual(['b', 'c', 'a']);
    expect(clusterLabel(list[2]!)).toBe('39 calls · 38 nights · hub');
    expect(clustersLayers(list, { showLabels: false })).toHaveLength(1);
    const [hulls, labels] = clustersLayers(list, { labelLimit: 3 });
    expect(hulls).toBeInstanceOf(PolygonLayer);
    expect((labels!.props.data as unknown[]).length).toBe(3);
  });
});
