import { CHANGE_BREAKS, CHANGE_COLOURS, type Choropleth } from '../map/layers/areas-layer';
import { GI_CLASS_COLOURS, GI_CLASS_LABELS } from '../map/layers/hotspot-layer';
import { densityRamp, OKABE_ITO } from '../map/palette';
import { type LayerSettings, setLayer, updateDashboard, useDashboard } from '../state/dashboard-store';
import { PlanLayerRow } from './planner/plan-layer-row';
import { DistrictsLayerRow } from './districts-layer-row';

/** Each layer: a toggle, an opacity slider and its own legend, so the key sits beside the switch. */
export function LayerPanel({ callsMode, hasAreas, hasTransit, hubCount }: { callsMode: 'points' | 'density' | 'none'; hasAreas: boolean; hasTransit: boolean; hubCount: number }) {
  const { layers, hotspots, hotspotsLoading, clusters, clustersLoading, comparisonDays, comparison } = useDashboard();
  const significant = hotspots?.cells.filter((c) => c.bin !== 0).length ?? 0;
  return (
    <details className="layer-panel" open>
      <summary>Layers</summary>
      <LayerRow id="calls" label="Calls" settings={layers.calls}>
        <label className="inline-field small">
          Draw as
          <select value={layers.calls.mode} onChange={(e) => setLayer('calls', { mode: e.target.value as LayerSettings['calls']['mode'] })}>
            <option value="auto">automatic</option>
            <option value="points">dots</option>
            <option value="density">density</option>
          </select>
        </label>
        {callsMode === 'density' ? (
          <span className="legend-row small">
            fewer
            <span className="ramp" aria-hidden="true">
              {densityRamp(6).map((c) => (
                <span key={c.join()} style={{ background: `rgb(${c.join(',')})` }} />
              ))}
            </span>
            more per hexagon
          </span>
        ) : (
          <span className="legend-row small">
            <span className="swatch swatch--dot" style={{ background: OKABE_ITO.blue }} aria-hidden="true" /> one call
          </span>
        )}
      </LayerRow>
      <LayerRow id="hotspots" label="Hot spots (Gi*)" settings={layers.hotspots}>
        {layers.hotspots.visible ? (
          <>
            <span className="small muted" data-testid="hotspot-summary">
              {hotspotsLoading ? 'Computing…' : hotspots ? `${significant} significant cells of ${hotspots.cells.length} (${hotspots.cellMeters} m, band ${hotspots.bandMeters} m, FDR)` : ''}
            </span>
            <ul className="legend-list small">
              {['3', '2', '1', '-1', '-2', '-3'].map((k) => (
                <li key={k}>
                  <span className="swatch" style={{ background: GI_CLASS_COLOURS[k] }} aria-hidden="true" /> {GI_CLASS_LABELS[k]}
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </LayerRow>
      <LayerRow id="clusters" label="Repeat-report clusters" settings={layers.clusters}>
        <span className="small muted" data-testid="cluster-summary">
          {clustersLoading ?? (clusters ? `${clusters.list.length} clusters: ${clusters.description}` : '')}
        </span>
        <span className="legend-row small">
          <span className="swatch" style={{ background: OKABE_ITO.purple, border: '2px solid #7a1f5c' }} aria-hidden="true" /> cluster hull, labelled calls · nights
        </span>
      </LayerRow>
      {hasAreas ? (
        <LayerRow id="areas" label="Areas" settings={layers.areas}>
          <label className="inline-field small">
            Fill
            <select value={layers.areas.choropleth} onChange={(e) => setLayer('areas', { choropleth: e.target.value as Choropleth })}>
              <option value="none">outline only</option>
              <option value="rate">calls per km²</option>
              <option value="change">change vs the period before</option>
            </select>
          </label>
          {layers.areas.choropleth === 'change' ? (
            <label className="inline-field small">
              Compare the last
              <select value={comparisonDays} onChange={(e) => updateDashboard({ comparisonDays: Number(e.target.value) })}>
                <option value={7}>7 days</option>
                <option value={28}>28 days</option>
                <option value={91}>13 weeks</option>
              </select>
              {comparison ? <span className="muted">({comparison.current[0]} on)</span> : null}
            </label>
          ) : null}
          {layers.areas.choropleth === 'change' ? (
            <span className="legend-row small">
              fewer
              <span className="ramp" aria-hidden="true">
                {CHANGE_COLOURS.map((c) => (
                  <span key={c} style={{ background: c }} />
                ))}
              </span>
              more (±{CHANGE_BREAKS[CHANGE_BREAKS.length - 1]} %)
            </span>
          ) : null}
          {layers.areas.choropleth === 'rate' ? (
            <span className="legend-row small">
              low
              <span className="ramp" aria-hidden="true">
                {densityRamp(5).map((c) => (
                  <span key={c.join()} style={{ background: `rgb(${c.join(',')})` }} />
                ))}
              </span>
              high calls per km²
            </span>
          ) : null}
        </LayerRow>
      ) : null}
      <DistrictsLayerRow />
      {hasTransit ? (
        <LayerRow id="transit" label="Transit stops and hubs" settings={layers.transit}>
          <span className="legend-row small">
            <span className="swatch swatch--ring" aria-hidden="true" /> stop (zoom in)
            <span className="swatch swatch--dot" style={{ background: OKABE_ITO.vermillion }} aria-hidden="true" /> hub ({hubCount})
          </span>
        </LayerRow>
      ) : null}
      <PlanLayerRow />
    </details>
  );
}

function LayerRow<K extends keyof LayerSettings>({ id, label, settings, children }: { id: K; label: string; settings: LayerSettings[K]; children?: React.ReactNode }) {
  return (
    <div className="layer-row">
      <div className="layer-row__head">
        <label className="check">
          <input type="checkbox" checked={settings.visible} onChange={(e) => setLayer(id, { visible: e.target.checked } as Partial<LayerSettings[K]>)} />
          {label}
        </label>
        <input
          type="range"
          min={0.1}
          max={1}
          step={0.05}
          value={settings.opacity}
          aria-label={`${label} opacity`}
          onChange={(e) => setLayer(id, { opacity: Number(e.target.value) } as Partial<LayerSettings[K]>)}
        />
      </div>
      {settings.visible ? <div className="layer-row__body">{children}</div> : null}
    </div>
  );
}
