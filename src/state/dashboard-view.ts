import type { Choropleth } from '../map/layers/areas-layer';
import type { ClauseKind } from './clauses';
import { getDashboard, getSelection, type LayerSettings, updateDashboard } from './dashboard-store';
import { type Camera, clausesFromFilters, DEFAULT_LAYERS as URL_DEFAULT_LAYERS, filtersFromSelection, type LayerId, type ViewState } from './url';

/**
 * The dashboard ⇄ the shareable view state of url.ts (links and saved views): the selection's
 * clause specs, the layer toggles and the camera. Layer settings the URL has no word for
 * (opacity) stay as the analyst set them.
 */
export function layersToView(l: LayerSettings): { layers: Record<LayerId, boolean>; areaFill?: 'rate' | 'change' } {
  return {
    layers: {
      ...URL_DEFAULT_LAYERS,
      calls: l.calls.visible,
      density: l.calls.mode === 'density',
      hotspots: l.hotspots.visible,
      clusters: l.clusters.visible,
      areas: l.areas.visible,
      stops: l.transit.visible,
    },
    ...(l.areas.choropleth === 'none' ? {} : { areaFill: l.areas.choropleth }),
  };
}

export function layersFromView(v: Pick<ViewState, 'layers' | 'areaFill'>, current: LayerSettings): LayerSettings {
  const choropleth: Choropleth = v.areaFill ?? 'none';
  return {
    calls: { ...current.calls, visible: v.layers.calls, mode: v.layers.density ? 'density' : current.calls.mode === 'density' ? 'auto' : current.calls.mode },
    hotspots: { ...current.hotspots, visible: v.layers.hotspots },
    clusters: { ...current.clusters, visible: v.layers.clusters },
    areas: { ...current.areas, visible: v.layers.areas, choropleth },
    transit: { ...current.transit, visible: v.layers.stops },
  };
}

/**
 * Filters in one fixed order (when, then what, then where): the filter bar reads them so, and
 * a link or saved view serialises to the same text however the filters were made.
 */
export const KIND_ORDER: readonly ClauseKind[] = ['time', 'weekdays', 'hours', 'hourOfWeek', 'types', 'tiers', 'areas', 'bbox', 'polygon', 'callIds'];
export const kindRank = (k: ClauseKind): number => KIND_ORDER.indexOf(k);

/** The view to put in the address bar or save. */
export function currentViewState(camera: Camera | null): ViewState {
  const filters = filtersFromSelection(getSelection()).sort((a, b) => kindRank(a.kind) - kindRank(b.kind));
  return { filters, ...layersToView(getDashboard().layers), camera };
}

/** Open a view (link, saved view): its clauses replace the selection in one change; returns what could not be applied. */
export function applyViewState(v: ViewState): string[] {
  const tierMap = getDashboard().tierMap;
  const { clauses, messages } = clausesFromFilters(v.filters, tierMap ? { tierMap } : {});
  updateDashboard({ layers: layersFromView(v, getDashboard().layers) });
  getSelection().replaceAll(clauses);
  return messages;
}
