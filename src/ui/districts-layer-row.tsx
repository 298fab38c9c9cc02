import type { Layer } from '@deck.gl/core';
import { useCallback, useMemo, useRef } from 'react';
import { dashMetersAtZoom, DISTRICT_DASH_COLOUR, type DistrictDash, districtDashes, districtLabels, districtsLayers } from '../map/layers/districts-layer';
import { resetDistricts, updateDistricts, useDistricts } from '../state/districts';
import { acceptPendingAsDistricts } from '../state/districts-import';
import { importFiles } from '../state/import-flow';

/** Layers for the map's `layers(zoom)` callback; dashes are re-cut only when the whole zoom level changes. */
export function useDistrictsMapLayers(): (zoom: number) => Layer[] {
  const { features, layer } = useDistricts();
  const labels = useMemo(() => (features ? districtLabels(features) : []), [features]);
  const cache = useRef<{ features: unknown; zoom: number; dashes: DistrictDash[] } | null>(null);
  return useCallback(
    (zoom: number) => {
      if (!features?.length || !layer.visible) return [];
      const z = Math.floor(zoom);
      if (cache.current?.features !== features || cache.current.zoom !== z) cache.current = { features, zoom: z, dashes: districtDashes(features, dashMetersAtZoom(z)) };
      return districtsLayers(cache.current.dashes, labels, { zoom, opacity: layer.opacity });
    },
    [features, labels, layer],
  );
}

/** The districts/beats row of the layer panel, or the question when a boundary file is unclear. */
export function DistrictsLayerRow() {
  const { features, label, reason, layer, pending, file } = useDistricts();
  const loadAsAreas = (f: { name: string; bytes: Uint8Array }) => {
    resetDistricts();
    void importFiles({ files: [f], areasLabel: f.name });
  };
  if (pending) {
    return (
      <div className="layer-row" data-testid="boundary-choice">
        <p className="small">
          {pending.file.name}: {pending.reason}.
        </p>
        <div className="layer-row__head">
          <button type="button" className="button" onClick={() => loadAsAreas(pending.file)}>
            Use as neighbourhood areas
          </button>
          <button type="button" className="button" onClick={() => acceptPendingAsDistricts(pending.file)}>
            Show as districts/beats layer
          </button>
        </div>
      </div>
    );
  }
  if (!features?.length) return null;
  return (
    <div className="layer-row" data-testid="districts-row">
      <div className="layer-row__head">
        <label className="check">
          <input type="checkbox" checked={layer.visible} onChange={(e) => updateDistricts({ layer: { ...layer, visible: e.target.checked } })} />
          Districts/beats
        </label>
        <input type="range" min={0.1} max={1} step={0.05} value={layer.opacity} aria-label="Districts/beats opacity" onChange={(e) => updateDistricts({ layer: { ...layer, opacity: Number(e.target.value) } })} />
      </div>
      {layer.visible ? (
        <div className="layer-row__body">
          <span className="legend-row small">
            <span className="swatch" style={{ background: 'transparent', border: `2px dashed ${DISTRICT_DASH_COLOUR}` }} aria-hidden="true" /> {features.length} from {label} (drawn only; calls stay in their areas; re-add after a reload)
          </span>
          {reason ? <span className="small muted">Classified as districts: {reason}.</span> : null}
          {file ? (
            <button type="button" className="button small" onClick={() => loadAsAreas(file)}>
              Use as neighbourhood areas instead
            </button>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
