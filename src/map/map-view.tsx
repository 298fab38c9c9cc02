import type { Layer } from '@deck.gl/core';
import type { FeatureCollection, LineString, MultiPolygon, Point, Polygon } from 'geojson';
// Stays in the shell's stylesheet, before app.css: app.css overrides some MapLibre rules
// (e.g. .map-canvas__gl is absolute, not MapLibre's relative), and a lazily injected copy
// would come after it and win.
import 'maplibre-gl/dist/maplibre-gl.css';
import { lazy, Suspense } from 'react';
import type { CallPoints } from '../state/session-store';
import { loadDeckClasses } from './layers/deck-classes';

export interface Camera {
  lon: number;
  lat: number;
  zoom: number;
  bounds: [number, number, number, number];
}

export interface MapViewProps {
  areas: FeatureCollection<Polygon | MultiPolygon> | null;
  areaNameProperty?: string;
  routes: FeatureCollection<LineString> | null;
  stops: FeatureCollection<Point> | null;
  /** every located call of the dataset: frames the camera once per dataset (filtered views never move it) */
  points: CallPoints | null;
  /** opt-in tile style URL from settings; null keeps the offline basemap */
  tileStyleUrl: string | null;
  onZoom?: (zoom: number) => void;
  /** the data layers for this zoom, bottom to top (built from pure factories in ./layers) */
  layers: (zoom: number) => Layer[];
  /** hover text for a picked object (shown as text, never parsed as markup); null hides */
  describe?: (layerId: string, object: unknown) => string | null;
  onPick?: (layerId: string | null, object: unknown) => void;
  /** rectangle tool armed: plain drag selects; shift-drag always selects */
  selecting?: boolean;
  onBox?: (bbox: [number, number, number, number]) => void;
  /** lasso tool armed: a drag draws a free-hand ring ([lon, lat] corners, not closed) */
  lassoing?: boolean;
  onLasso?: (ring: [number, number][]) => void;
  onCamera?: (camera: Camera) => void;
  /** from a shared link: wins over fitting the first dataset */
  initialCamera?: { lon: number; lat: number; zoom: number } | null;
}

/**
 * maplibre-gl and deck.gl are about 60 % of the app's JavaScript; they load as their own chunk
 * so the shell (header, import button, side panel) paints first. The deck.gl layer classes are
 * registered before the map mounts: the `layers(zoom)` factories need them on the first draw.
 * Starting the import at module evaluation (not at first render) overlaps the chunk fetch with
 * React's first render.
 */
const mapChunk = Promise.all([import('./map-view-gl'), loadDeckClasses()]).then(
  ([m]) => ({ default: m.MapViewGl }),
  // e.g. the server was redeployed and the hashed chunk is gone: say so instead of a blank app
  (e: unknown) => ({ default: (_: MapViewProps) => <MapLoadFailed error={e} /> }),
);
const MapViewGl = lazy(() => mapChunk);

function MapLoadFailed({ error }: { error: unknown }) {
  return (
    <div className="map-canvas" data-testid="map">
      <p className="engine-status" role="alert">
        The map could not load ({String(error)}). Reload the page; your files are not affected, but you will need to open them again.
      </p>
    </div>
  );
}

export function MapView(props: MapViewProps) {
  return (
    <Suspense fallback={<div className="map-canvas" data-testid="map" aria-busy="true" />}>
      <MapViewGl {...props} />
    </Suspense>
  );
}
