import type { Layer } from '@deck.gl/core';
import { deckClasses } from './deck-classes';
import type { RepeatCluster } from '../../analysis/repeat-clusters';
import { hexToRgba, OKABE_ITO } from '../palette';

/** Short map label: how many calls on how many nights (the repeat pattern a sergeant acts on). */
export function clusterLabel(c: Pick<RepeatCluster, 'calls' | 'distinctNights' | 'nearHub'>): string {
  return `${c.calls} calls · ${c.distinctNights} nights${c.nearHub ? ' · hub' : ''}`;
}

/** Repeat-report cluster hulls (purple, Okabe–Ito reddish purple) with a label at the centroid. */
/**
 * The clusters worth a label: the biggest by calls (and the selected one). Forty labels in a
 * downtown overlap into noise; the rest keep their hull and tooltip.
 */
export function labelledClusters(clusters: readonly RepeatCluster[], limit: number, selectedId?: string | null): RepeatCluster[] {
  const top = [...clusters].sort((a, b) => b.calls - a.calls || a.id.localeCompare(b.id)).slice(0, limit);
  const selected = clusters.find((c) => c.id === selectedId);
  return selected && !top.includes(selected) ? [...top, selected] : top;
}

export function clustersLayers(
  clusters: readonly RepeatCluster[],
  options: { opacity?: number; selectedId?: string | null; showLabels?: boolean; labelLimit?: number } = {},
): Layer[] {
  const { PolygonLayer, TextLayer } = deckClasses();
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
    data: labelledClusters(clusters, options.labelLimit ?? 8, options.selectedId),
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
