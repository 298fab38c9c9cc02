import { formatCount } from './format';

/** The map's count: what is drawn (filtered and located) of all calls; layer keys live in the layer panel. */
export function MapLegend({ shown, total }: { shown: number; total: number }) {
  return (
    <div className="map-legend" aria-live="polite">
      {total > 0 ? (
        <p className="map-legend__count" data-testid="shown-count">
          <strong>{formatCount(shown)}</strong> calls shown of {formatCount(total)}
        </p>
      ) : (
        <p className="muted small">No calls loaded yet</p>
      )}
    </div>
  );
}
