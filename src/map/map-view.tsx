import type { Layer } from '@deck.gl/core';
import { MapboxOverlay } from '@deck.gl/mapbox';
import { bbox } from '@turf/turf';
import type { FeatureCollection, LineString, MultiPolygon, Point, Polygon } from 'geojson';
import { type GeoJSONSource, Map as MapLibreMap, NavigationControl, ScaleControl, setWorkerUrl, type StyleSpecification } from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import 'maplibre-gl/dist/maplibre-gl.css';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { CallPoints } from '../state/session-store';
import { readiness, setReadiness } from '../state/readiness';
import { areaLabels, areaLabelsLayer } from './layers/area-labels-layer';
import { callsLayer, callsLayerMode } from './layers/calls-layer';
import { stopsLayer } from './layers/stops-layer';
import { CONTEXT_SOURCE_IDS, offlineStyle, withContext } from './offline-style';
import { pointsBounds } from './points-bounds';

// maplibre-gl 6 never loads a style without its worker; serve it from our own build.
setWorkerUrl(workerUrl);

export interface MapViewProps {
  areas: FeatureCollection<Polygon | MultiPolygon> | null;
  areaNameProperty?: string;
  routes: FeatureCollection<LineString> | null;
  stops: FeatureCollection<Point> | null;
  points: CallPoints | null;
  /** opt-in tile style URL from settings; null keeps the offline basemap */
  tileStyleUrl: string | null;
  onZoom?: (zoom: number) => void;
}

/** A fallback camera (continental US) until data gives us bounds. */
const START = { center: [-90.07, 29.96] as [number, number], zoom: 11 };

export function MapView(props: MapViewProps) {
  const container = useRef<HTMLDivElement>(null);
  const mapRef = useRef<MapLibreMap | null>(null);
  const overlayRef = useRef<MapboxOverlay | null>(null);
  const fittedTo = useRef<unknown>(null);
  const [zoom, setZoom] = useState(START.zoom);
  const [styleEpoch, setStyleEpoch] = useState(0);

  useEffect(() => {
    if (!container.current) return;
    const map = new MapLibreMap({
      container: container.current,
      style: offlineStyle(),
      center: START.center,
      zoom: START.zoom,
      attributionControl: false,
      // Keyboard pan/zoom stays on; the canvas gets a label for screen readers.
      keyboard: true,
      // Screenshots for briefings and tests read the canvas back.
      canvasContextAttributes: { preserveDrawingBuffer: true },
    });
    map.getCanvas().setAttribute('aria-label', 'Map of calls for service');
    map.addControl(new NavigationControl({ showCompass: false }), 'top-right');
    map.addControl(new ScaleControl({ unit: 'metric' }), 'bottom-right');
    // NON-interleaved on purpose: deck.gl 9.4's interleaved mode reads `map.transform`,
    // which maplibre-gl 6 removed, and crashes on the first frame. Overlaid mode draws deck
    // into its own canvas above the map while sharing the camera, which is all we need.
    const overlay = new MapboxOverlay({
      interleaved: false,
      layers: [],
      onAfterRender: () => setReadiness({ deckFrames: readiness().deckFrames + 1 }),
    });
    map.addControl(overlay);
    map.on('idle', () => setReadiness({ mapIdle: true }));
    map.on('movestart', () => setReadiness({ mapIdle: false }));
    map.on('zoomend', () => setZoom(map.getZoom()));
    map.on('style.load', () => setStyleEpoch((n) => n + 1));
    mapRef.current = map;
    overlayRef.current = overlay;
    return () => {
      map.remove();
      mapRef.current = null;
      overlayRef.current = null;
    };
  }, []);

  useEffect(() => props.onZoom?.(zoom), [zoom, props.onZoom]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: styleEpoch changes *because* of this effect; depending on it would loop
  useEffect(() => {
    const map = mapRef.current;
    if (!map) return;
    if (props.tileStyleUrl) {
      map.setStyle(props.tileStyleUrl, { transformStyle: (_prev, next) => withContext(next as StyleSpecification) });
    } else if (styleEpoch > 0) {
      map.setStyle(offlineStyle(), { transformStyle: (_prev, next) => next as StyleSpecification });
    }
  }, [props.tileStyleUrl]);

  // Context sources are (re)filled after every style load: a style switch empties them.
  // biome-ignore lint/correctness/useExhaustiveDependencies: styleEpoch is the "style reloaded" signal, not read inside
  useEffect(() => {
    const map = mapRef.current;
    if (!map) return;
    const push = () => {
      (map.getSource(CONTEXT_SOURCE_IDS.areas) as GeoJSONSource | undefined)?.setData(props.areas ?? emptyCollection());
      (map.getSource(CONTEXT_SOURCE_IDS.routes) as GeoJSONSource | undefined)?.setData(props.routes ?? emptyCollection());
    };
    if (map.isStyleLoaded()) push();
    else map.once('style.load', push);
  }, [props.areas, props.routes, styleEpoch]);

  // Frame each new dataset: areas first (they arrive before DuckDB is up), then calls
  // unless they already sit in view; calls from another city must not load off-screen.
  useEffect(() => {
    const map = mapRef.current;
    if (!map) return;
    const target = props.points?.length ? props.points : (props.areas ?? props.routes ?? props.stops);
    if (!target || fittedTo.current === target) return;
    const bounds = target === props.points ? pointsBounds(props.points) : (bbox(target as FeatureCollection) as [number, number, number, number]);
    if (!bounds?.every(Number.isFinite)) return;
    const previous = fittedTo.current;
    fittedTo.current = target;
    const center: [number, number] = [(bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2];
    if (target === props.points && previous && previous === props.areas && map.getBounds().contains(center)) return;
    map.fitBounds(
      [
        [bounds[0], bounds[1]],
        [bounds[2], bounds[3]],
      ],
      { padding: 24, animate: false },
    );
    setZoom(map.getZoom());
  }, [props.areas, props.points, props.routes, props.stops]);

  const labels = useMemo(() => (props.areas ? areaLabels(props.areas, props.areaNameProperty) : []), [props.areas, props.areaNameProperty]);

  useEffect(() => {
    const layers: Layer[] = [];
    if (labels.length) layers.push(areaLabelsLayer(labels, { zoom }));
    if (props.points && props.points.length > 0) layers.push(callsLayer(props.points, { zoom }));
    if (props.stops) layers.push(stopsLayer(props.stops, { zoom }));
    overlayRef.current?.setProps({ layers });
    setReadiness({ callsMode: props.points?.length ? callsLayerMode(props.points.length, { zoom }) : 'none' });
  }, [labels, props.points, props.stops, zoom]);

  return <div ref={container} className="map-canvas" />;
}

function emptyCollection(): FeatureCollection {
  return { type: 'FeatureCollection', features: [] };
}
