import type { Layer } from '@deck.gl/core';
import { PolygonLayer, TextLayer } from '@deck.gl/layers';
import type { RepeatCluster } from '../../analysis/repeat-clusters';
import { hexToRgba, OKABE_ITO } from '../palette';

/** Short map label: how many calls on how many nights (the repeat pattern a sergeant acts on). */
export function clusterLabel(c: Pick<RepeatCluster, 'calls' | 'distinctNights' | 'nearHub'>): string {
  return `${c.calls} calls · ${c.distinctNights} nights${c.nearHub ? ' · hub' : ''}`;
}

/** Repeat-report cluster hulls (purple, Okabe–Ito reddish purple) with a label at the centroid. */
export function clustersLayers(clusters: readonly RepeatCluster[], options: { opacity?: number; selectedId?: string | null; showLabels?: boolean } = {}): Layer[] {
  const hulls = new PolygonLayer<RepeatCluster>({
    id: 'repeat-clusters',
    data: clusters as RepeatCluster[],
    getPolygon: (c) => c.hull.coordinates[0] as [number, number][],
    getFillColor: hexToRgba(OKABE_ITO.purple, 90),
    getLineColor: (c) => (c.id === options.selectedId ? [0, 0, 0, 255] : hexToRgba('#7a1f5c', 240)),
    getLineWidth: (c) => (c.id === options.selectedId ? 3 : 2),
    lineWidthUnits: 'pixels',
    opacity: options.opacity ?? 1,
    pickable: true,
    updateTriggers: { getLineColor: [options.selectedId], getLineWidth: [options.selectedId] },
  }) as unknown as Layer;
  if (options.showLabels === false) return [hulls];
  const labels = new TextLayer<RepeatCluster>({
    id: 'repeat-cluster-labels',
    data: clusters as RepeatCluster[],
    getPosition: (c) => c.centroid,
    getText: clusterLabel,
    getSize: 12,
    getColor: [60, 10, 45, 255],
    fontWeight: 700,
    fontFamily: 'system-ui, "Segoe UI", Roboto, sans-serif',
    outlineWidth: 3,
    outlineColor: [255, 255, 255, 230],
    fontSettings: { sdf: true },
    getPixelOffset: [0, -16],
    characterSet: 'auto',
  }) as unknown as Layer;
  return [hulls, labels];
}
