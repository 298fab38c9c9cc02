import type { Layer } from '@deck.gl/core';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { findHubs } from '../analysis/hubs';
import { typeCodesForTexts } from '../data/queries/views';
import { toRows } from '../data/rows';
import type { ColumnMapping } from '../data/types';
import { type AreaValue, areasLayer } from '../map/layers/areas-layer';
import { callsLayer, callsLayerMode } from '../map/layers/calls-layer';
import type { RepeatCluster } from '../analysis/repeat-clusters';
import { clusterLabel, clustersLayers } from '../map/layers/clusters-layer';
import { GI_CLASS_LABELS, hotspotLayer } from '../map/layers/hotspot-layer';
import { describeDistrictPick } from '../map/layers/districts-layer';
import { lassoLayer, selectionLayer } from '../map/layers/selection-layer';
import { stopsLayer } from '../map/layers/stops-layer';
import { type Camera, MapView } from '../map/map-view';
import { bboxClause, type Clause, LIMITS, polygonClause } from '../state/clauses';
import { getSelection, setSourceClauses, updateDashboard, useDashboard } from '../state/dashboard-store';
import { startDashboard } from '../state/dashboard-controller';
import { applyViewState, currentViewState } from '../state/dashboard-view';
import { getDb } from '../state/db';
import type { HotspotCell } from '../state/hotspot-cells';
import { cancelImport, importChosenFiles, rejectsCsv } from '../state/import-flow';
import type { MappingProposal } from '../state/mapping-proposal';
import { setReadiness } from '../state/readiness';
import { useSession, updateSession } from '../state/session-store';
import { saveSettings, useSettings } from '../state/settings';
import { readViewLocation, serializeViewState, type ViewState, withTypeCodes } from '../state/url';
import { VIEW_IDS } from '../state/view-clients';
import { AlertRegion } from './alert-region';
import { AppHeader } from './app-header';
import { ChartsPanel } from './charts-panel';
import { DetailPanel } from './detail-panel';
import { useDistrictsMapLayers } from './districts-layer-row';
import { DropOverlay, useWindowDrop } from './drop-zone';
import { EmptyState } from './empty-state';
import { FilterBar } from './filter-bar';
import { countNoun, downloadText } from './format';
import { ImportProgressBar } from './import-progress';
import { LayerPanel } from './layer-panel';
import { MapLegend } from './map-legend';
import { MappingDialog } from './mapping-dialog';
import { describePlanPick, pickPlanPlace, planMapLayers, usePlanMapState } from './planner/plan-map';
import { QualityReportPanel } from './quality-report';
import { SettingsDialog } from './settings-dialog';
import { SIDE_PANEL_TABS } from './side-panel-tabs';
import { ViewsPanel } from './views-panel';

interface PendingReview {
  proposal: MappingProposal;
  resolve: (mapping: ColumnMapping | null) => void;
}

// The view lives in the fragment: a fragment never reaches the static host, so an analyst's
// filters (types, places) stay out of its access logs. Older ?query links still open.
const linked = typeof location === 'undefined' ? null : readViewLocation(location);
// Type names from an old link become codes once the calls are loaded (codes need the data).
let pendingTypeTexts: ViewState | null = linked?.state.typeTexts?.length ? linked.state : null;

/** A rectangle dragged in any direction (or the visible map) as the map's bbox clause. */
function setMapBox(b: [number, number, number, number]): void {
  const [x0, y0, x1, y1] = b;
  setMapPlace(bboxClause(VIEW_IDS.map, { west: Math.min(x0, x1), south: Math.min(y0, y1), east: Math.max(x0, x1), north: Math.max(y0, y1) }));
}

/**
 * One drawn place at a time: a rectangle replaces a lasso and the reverse (both would AND to
 * their overlap, which nobody drew); the map's other clauses (picked calls) stay.
 */
function setMapPlace(place: Clause): void {
  const others = getSelection()
    .clauses()
    .filter((c) => c.source === VIEW_IDS.map && c.spec.kind !== 'bbox' && c.spec.kind !== 'polygon');
  setSourceClauses(VIEW_IDS.map, [...others, place]);
}

/** A free-hand ring as the map's polygon clause, thinned to the clause's corner limit. */
function setMapLasso(ring: [number, number][]): void {
  const step = Math.ceil(ring.length / LIMITS.polygonVertices);
  setMapPlace(polygonClause(VIEW_IDS.map, step > 1 ? ring.filter((_, i) => i % step === 0) : ring));
}

export function App() {
  const session = useSession();
  const dash = useDashboard();
  const planMap = usePlanMapState(); // Plan tab (issue #6): the rotation layer reads it
  const settings = useSettings();
  const [zoom, setZoom] = useState(11);
  const [review, setReview] = useState<PendingReview | null>(null);
  const [settingsOpen, setSettingsOpen] = useState(false);
  const [camera, setCamera] = useState<Camera | null>(null);
  const qualityHeading = useRef<HTMLHeadingElement>(null);
  const busy = session.phase === 'importing' || session.phase === 'booting';

  // A shared link's filters and layers apply before the first query runs.
  useEffect(() => {
    if (linked) {
      const messages = [...linked.messages, ...applyViewState(linked.state)];
      if (messages.length > 0) updateSession({ error: `Parts of the link were not used. ${messages.join(' ')}` });
    }
    startDashboard();
  }, []);
  useEffect(() => {
    const pending = pendingTypeTexts;
    if (session.phase !== 'ready' || !session.report || !pending) return;
    pendingTypeTexts = null;
    void getDb()
      .then(async (db) => toRows(await db.query(typeCodesForTexts(pending.typeTexts ?? []))).map((r) => (r.type_code === null ? null : String(r.type_code))))
      .then((codes) => {
        const { state, messages } = withTypeCodes({ ...currentViewState(null), typeTexts: pending.typeTexts ?? [] }, codes);
        applyViewState(state);
        if (messages.length > 0) updateSession({ error: messages.join(' ') });
      });
  }, [session.phase, session.report]);

  const onFiles = useCallback(async (files: File[]) => {
    // Sizes are checked against what the tab can hold before anything is read (issue #9).
    await importChosenFiles(files, {
      reviewMapping: (proposal) => new Promise((resolve) => setReview({ proposal, resolve })),
    });
  }, []);
  const dragging = useWindowDrop(onFiles);

  const closeReview = (mapping: ColumnMapping | null) => {
    review?.resolve(mapping);
    setReview(null);
  };

  const points = dash.results?.positions ?? session.points;
  const forceMode = dash.layers.calls.mode === 'auto' ? undefined : dash.layers.calls.mode;
  const mode = points?.length && dash.layers.calls.visible ? callsLayerMode(points.length, { zoom, ...(forceMode ? { forceMode } : {}) }) : 'none';
  useEffect(() => setReadiness({ callsMode: mode }), [mode]);

  const hubs = useMemo(() => (session.transit ? findHubs(session.transit).hubs : []), [session.transit]);
  const hubStopIds = useMemo(() => new Set(hubs.flatMap((h) => h.stopIds)), [hubs]);
  const areaKm2 = useMemo(() => new Map((session.areaFeatures ?? []).map((a) => [a.id, a.areaKm2])), [session.areaFeatures]);
  const areaValues = useMemo(() => {
    const m = new Map<string, AreaValue>();
    for (const r of dash.results?.areas ?? []) {
      if (r.area_id === null) continue;
      const km2 = areaKm2.get(r.area_id);
      m.set(r.area_id, { perKm2: km2 ? r.n / km2 : null, changePct: dash.areaChange.get(r.area_id) ?? null });
    }
    return m;
  }, [dash.results, dash.areaChange, areaKm2]);
  const box = useMemo(() => {
    const c = dash.clauses.find((x) => x.spec.kind === 'bbox');
    return c?.spec.kind === 'bbox' ? ([c.spec.west, c.spec.south, c.spec.east, c.spec.north] as [number, number, number, number]) : null;
  }, [dash.clauses]);
  const lassoRing = useMemo(() => {
    const c = dash.clauses.find((x) => x.spec.kind === 'polygon');
    return c?.spec.kind === 'polygon' ? c.spec.ring : null;
  }, [dash.clauses]);
  const areaNames = useMemo(() => new Map((session.areaFeatures ?? []).map((a) => [a.id, a.name])), [session.areaFeatures]);
  const focusId = dash.focus?.kind === 'area' ? dash.focus.id : dash.focus?.kind === 'cell' ? dash.focus.cell.id : dash.focus?.kind === 'cluster' ? dash.focus.cluster.id : null;

  const districtLayers = useDistrictsMapLayers(); // districts/beats overlay (drawn only)
  const buildLayers = useCallback(
    (z: number): Layer[] => {
      const { layers, hotspots } = dash;
      const out: Layer[] = [];
      // Under hot spots or clusters the calls step back, so the tested result reads first.
      const dim = (hotspots && layers.hotspots.visible) || (dash.clusters && layers.clusters.visible) ? 0.45 : 1;
      if (points?.length && layers.calls.visible) out.push(callsLayer(points, { zoom: z, opacity: layers.calls.opacity * dim, ...(forceMode ? { forceMode } : {}) }));
      // Areas above the calls: their outlines must read through the density hexagons.
      if (session.areas && layers.areas.visible) out.push(areasLayer(session.areas, { choropleth: layers.areas.choropleth, values: areaValues, opacity: layers.areas.opacity, selectedId: focusId }));
      out.push(...districtLayers(z)); // districts/beats: dashed, under hot spots
      if (hotspots && layers.hotspots.visible) out.push(hotspotLayer(hotspots.cells, { opacity: layers.hotspots.opacity, selectedId: focusId }));
      if (dash.clusters && layers.clusters.visible) out.push(...clustersLayers(dash.clusters.list, { opacity: layers.clusters.opacity, selectedId: focusId, showLabels: z >= 12, labelLimit: z >= 15 ? 40 : 8 }));
      if (box) out.push(selectionLayer(box));
      if (lassoRing) out.push(lassoLayer(lassoRing));
      if (session.stops && layers.transit.visible) out.push(stopsLayer(session.stops, { zoom: z, hubIds: hubStopIds, opacity: layers.transit.opacity }));
      out.push(...planMapLayers(planMap)); // Plan tab rotation, drawn on top
      return out;
    },
    [planMap, districtLayers, dash, box, lassoRing, session.areas, session.stops, points, areaValues, focusId, forceMode, hubStopIds],
  );

  const describe = useCallback(
    (layerId: string, o: unknown): string | null => {
      if (layerId.startsWith('rotation-')) return describePlanPick(layerId, o); // Plan tab
      if (layerId.startsWith('districts')) return describeDistrictPick(layerId, o); // districts/beats overlay
      if (layerId === 'areas') {
        const id = String((o as { properties?: { id?: unknown } }).properties?.id ?? '');
        const row = dash.results?.areas.find((a) => a.area_id === id);
        return `${areaNames.get(id) ?? id}: ${countNoun(row?.n ?? 0, 'call')}`;
      }
      if (layerId === 'hotspot-cells') {
        const c = o as HotspotCell;
        return `${GI_CLASS_LABELS[String(c.bin)] ?? 'Not significant'} · ${countNoun(c.n, 'call')} · z ${c.z.toFixed(2)}`;
      }
      if (layerId === 'transit-stops') {
        const p = (o as { properties?: { id?: unknown; name?: unknown } }).properties ?? {};
        return `${String(p.name ?? p.id)}${hubStopIds.has(String(p.id)) ? ' (transit hub)' : ''}`;
      }
      if (layerId === 'repeat-clusters') {
        const c = o as RepeatCluster;
        return `Repeat-report cluster: ${clusterLabel(c)}${c.addresses[0] ? ` · ${c.addresses[0].value}` : ''}`;
      }
      if (layerId === 'calls-density') return `${countNoun(Number((o as { count?: number }).count ?? 0), 'call')} in this hexagon`;
      return null;
    },
    [dash.results, areaNames, hubStopIds],
  );

  const onPick = useCallback(
    (layerId: string | null, o: unknown) => {
      if (pickPlanPlace(layerId, o)) return; // Plan tab: a numbered place opens its explanation
      if (layerId === 'repeat-clusters') updateDashboard({ focus: { kind: 'cluster', cluster: o as RepeatCluster }, tab: 'detail' });
      else if (layerId === 'hotspot-cells') updateDashboard({ focus: { kind: 'cell', cell: o as HotspotCell }, tab: 'detail' });
      else if (layerId === 'areas') {
        const id = String((o as { properties?: { id?: unknown } }).properties?.id ?? '');
        updateDashboard({ focus: { kind: 'area', id, name: areaNames.get(id) ?? id }, tab: 'detail' });
      } else if (layerId === 'transit-stops') {
        const stopId = String((o as { properties?: { id?: unknown } }).properties?.id ?? '');
        const hub = hubs.find((h) => h.stopIds.includes(stopId));
        if (hub) updateDashboard({ focus: { kind: 'hub', id: hub.id, name: hub.name, lon: hub.lon, lat: hub.lat }, tab: 'detail' });
      }
    },
    [areaNames, hubs],
  );

  // biome-ignore lint/correctness/useExhaustiveDependencies: clauses and layers are what the view state is read from
  const view = useMemo(() => currentViewState(camera ? { lon: camera.lon, lat: camera.lat, zoom: camera.zoom } : null), [dash.clauses, dash.layers, camera]);
  const query = serializeViewState(view);
  useEffect(() => {
    if (session.phase !== 'ready') return;
    history.replaceState(null, '', `${location.pathname}#${query}`);
  }, [query, session.phase]);

  const openView = (v: ViewState) => {
    const messages = applyViewState(v);
    if (messages.length > 0) updateSession({ error: messages.join(' ') });
  };

  const quality = (
    <QualityReportPanel
      report={session.report}
      mapped={session.points?.length ?? 0}
      distinctCalls={session.totalCalls}
      rejected={session.rejected}
      headingRef={qualityHeading}
      onDownloadRejects={async () => downloadText(`${(session.datasetName ?? 'calls').replace(/[^\w.-]+/g, '_')}-rejects.csv`, await rejectsCsv(session.rejected))}
    />
  );
  // One object per selection change (every clause): the triage queries re-run when its identity changes.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the selection is mutable; clauses is its change signal
  const where = useMemo(() => getSelection().predicate(null), [dash.clauses]);
  const ctx = { where, quality, charts: <ChartsPanel />, detail: <DetailPanel hubs={hubs} />, views: <ViewsPanel current={view} currentQuery={query} onOpen={openView} /> };
  const tab = SIDE_PANEL_TABS.find((t) => t.id === dash.tab) ?? SIDE_PANEL_TABS[0]!;

  return (
    <div className="app">
      <a className="skip-link" href="#side-panel">
        Skip to side panel
      </a>
      <AppHeader
        datasetName={session.datasetName}
        report={session.report}
        busy={busy}
        onFiles={onFiles}
        onOpenReport={() => {
          updateDashboard({ tab: 'quality' });
          setTimeout(() => qualityHeading.current?.focus(), 0);
        }}
        onOpenSettings={() => setSettingsOpen(true)}
      />
      <AlertRegion message={session.error} onDismiss={() => updateSession({ error: null })} />
      <main className="app-main">
        <section className="map-area" aria-label="Map">
          <MapView
            areas={session.areas}
            routes={session.routes}
            stops={session.stops}
            points={session.points}
            tileStyleUrl={settings.tileStyleUrl}
            onZoom={setZoom}
            layers={buildLayers}
            describe={describe}
            onPick={onPick}
            selecting={dash.selecting}
            onBox={(bbox) => {
              setMapBox(bbox);
              updateDashboard({ selecting: false });
            }}
            lassoing={dash.lassoing}
            onLasso={(ring) => {
              setMapLasso(ring);
              updateDashboard({ lassoing: false });
            }}
            onCamera={setCamera}
            initialCamera={linked?.state.camera ?? null}
          />
          {session.report ? (
            <div className="map-tools" role="toolbar" aria-label="Map selection">
              <button type="button" className="button button--map" aria-pressed={dash.selecting} onClick={() => updateDashboard({ selecting: !dash.selecting, lassoing: false })}>
                {dash.selecting ? 'Drag a rectangle…' : 'Select rectangle'}
              </button>
              <button type="button" className="button button--map" aria-pressed={dash.lassoing} onClick={() => updateDashboard({ lassoing: !dash.lassoing, selecting: false })}>
                {dash.lassoing ? 'Draw around the calls…' : 'Lasso'}
              </button>
              <button type="button" className="button button--map" disabled={!camera} onClick={() => camera && setMapBox(camera.bounds)}>
                Use current view
              </button>
            </div>
          ) : null}
          {session.report || session.areas || session.stops ? (
            <LayerPanel callsMode={mode} hasAreas={Boolean(session.areas)} hasTransit={Boolean(session.stops?.features.length)} hubCount={hubs.length} />
          ) : null}
          {session.report || session.areas || session.stops ? <MapLegend shown={points?.length ?? 0} total={session.totalCalls} /> : null}
          {session.phase === 'empty' && !session.report && !session.areas && !session.stops ? <EmptyState onFiles={onFiles} /> : null}
          {session.dbStatus === 'starting' ? (
            <p className="engine-status" role="status">
              Starting the analysis engine…
            </p>
          ) : null}
        </section>
        <aside id="side-panel" className="side-panel" aria-label="Side panel" tabIndex={-1}>
          {session.progress ? <ImportProgressBar progress={session.progress} onCancel={cancelImport} /> : null}
          {session.report ? <FilterBar total={session.totalCalls} areaNames={areaNames} /> : null}
          <div className="tabs" role="tablist" aria-label="Panels">
            {SIDE_PANEL_TABS.map((t) => (
              <button
                key={t.id}
                type="button"
                role="tab"
                id={`tab-${t.id}`}
                aria-selected={t.id === tab.id}
                aria-controls="tab-panel"
                tabIndex={t.id === tab.id ? 0 : -1}
                className="tab"
                onClick={() => updateDashboard({ tab: t.id })}
                onKeyDown={(e) => {
                  if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
                  const i = SIDE_PANEL_TABS.indexOf(t);
                  const next = SIDE_PANEL_TABS[(i + (e.key === 'ArrowRight' ? 1 : SIDE_PANEL_TABS.length - 1)) % SIDE_PANEL_TABS.length]!;
                  updateDashboard({ tab: next.id });
                  document.getElementById(`tab-${next.id}`)?.focus();
                }}
              >
                {t.label}
              </button>
            ))}
          </div>
          <div id="tab-panel" role="tabpanel" aria-labelledby={`tab-${tab.id}`} className="tab-panel">
            {tab.render(ctx)}
          </div>
        </aside>
      </main>
      <DropOverlay visible={dragging} />
      {review ? <MappingDialog proposal={review.proposal} onConfirm={closeReview} onCancel={() => closeReview(null)} /> : null}
      {settingsOpen ? (
        <SettingsDialog
          settings={settings}
          onClose={() => setSettingsOpen(false)}
          onSave={(s) => {
            saveSettings(s);
            setSettingsOpen(false);
          }}
        />
      ) : null}
    </div>
  );
}
