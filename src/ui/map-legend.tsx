import { DENSITY_ABOVE_POINTS } from '../map/layers/calls-layer';
import { densityRamp, OKABE_ITO } from '../map/palette';
import { formatCount } from './format';

interface Props {
  shown: number;
  total: number;
  mode: 'points' | 'density' | 'none';
  hasStops: boolean;
}

/** The count and the key live together: "what am I looking at" has one answer on screen. */
export function MapLegend({ shown, total, mode, hasStops }: Props) {
  const ramp = densityRamp(6);
  return (
    <div className="map-legend" aria-live="polite">
      {total > 0 ? (
        <p className="map-legend__count" data-testid="shown-count">
          <strong>{formatCount(shown)}</strong> calls shown of {formatCount(total)}
        </p>
      ) : (
        <p className="muted small">No calls loaded yet</p>
      )}
      {total > shown ? <p className="muted small">{formatCount(total - shown)} have no usable location</p> : null}
      {mode === 'points' ? (
        <p className="legend-row">
          <span className="swatch swatch--dot" style={{ background: OKABE_ITO.blue }} aria-hidden="true" /> one call
        </p>
      ) : null}
      {mode === 'density' ? (
        <div className="legend-row">
          <span className="muted small">fewer</span>
          <span className="ramp" aria-hidden="true">
            {ramp.map((c) => (
              <span key={c.join()} style={{ background: `rgb(${c.join(',')})` }} />
            ))}
          </span>
          <span className="muted small">more calls per hexagon</span>
          <span className="visually-hidden">
            Density view: above {formatCount(DENSITY_ABOVE_POINTS)} calls or when zoomed out, calls are counted in hexagons.
          </span>
        </div>
      ) : null}
      {hasStops ? (
        <p className="legend-row">
          <span className="swatch swatch--ring" aria-hidden="true" /> transit stop (zoom in)
        </p>
      ) : null}
    </div>
  );
}
