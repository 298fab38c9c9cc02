import type { Layer } from '@deck.gl/core';
import { deckClasses } from './deck-classes';
import type { HotspotCell } from '../../state/hotspot-cells';
import { hexToRgba, type Rgba } from '../palette';

/**
 * ColorBrewer RdBu (colour-blind safe, diverging): red = hot spot, blue = cold spot, paler =
 * lower confidence. Class 0 (not significant) is not drawn: the map shows only what the test
 * supports.
 */
export const GI_CLASS_COLOURS: Record<string, string> = {
  '3': '#b2182b',
  '2': '#ef8a62',
  '1': '#fddbc7',
  '-1': '#d1e5f0',
  '-2': '#67a9cf',
  '-3': '#2166ac',
};

export const GI_CLASS_LABELS: Record<string, string> = {
  '3': 'Hot spot, 99 % confidence',
  '2': 'Hot spot, 95 %',
  '1': 'Hot spot, 90 %',
  '-1': 'Cold spot, 90 %',
  '-2': 'Cold spot, 95 %',
  '-3': 'Cold spot, 99 %',
};

export function giClassColour(bin: number, alpha = 210): Rgba {
  const hex = GI_CLASS_COLOURS[String(bin)];
  return hex ? hexToRgba(hex, alpha) : [0, 0, 0, 0];
}

export function significantCells(cells: readonly HotspotCell[]): HotspotCell[] {
  return cells.filter((c) => c.bin !== 0);
}

export function hotspotLayer(cells: readonly HotspotCell[], options: { opacity?: number; selectedId?: string | null } = {}): Layer {
  const { PolygonLayer } = deckClasses();
  return new PolygonLayer<HotspotCell>({
    id: 'hotspot-cells',
    data: significantCells(cells),
    getPolygon: (c) => c.polygon.coordinates[0] as [number, number][],
    getFillColor: (c) => giClassColour(c.bin),
    getLineColor: (c) => (c.id === options.selectedId ? [0, 0, 0, 255] : [255, 255, 255, 140]),
    getLineWidth: (c) => (c.id === options.selectedId ? 3 : 0.5),
    lineWidthUnits: 'pixels',
    stroked: true,
    filled: true,
    opacity: options.opacity ?? 0.85,
    pickable: true,
    updateTriggers: { getLineColor: [options.selectedId], getLineWidth: [options.selectedId] },
  }) as unknown as Layer;
}
