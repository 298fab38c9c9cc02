import type { Layer } from '@deck.gl/core';
import { MapboxOverlay } from '@deck.gl/mapbox';
import { bbox } from '@turf/turf';
import type { FeatureCollection } from 'geojson';
import { Map as MapLibreMap, NavigationControl, ScaleControl, setWorkerUrl } from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { useEffect, useMemo, useRef, useState } from 'react';
import { markOnce } from '../state/boot-marks';
import { readiness, setReadiness } from '../state/readiness';
import { areaLabels, areaLabelsLayer } from './layers/area-labels-layer';
import { lassoLayer } from './layers/selection-layer';
import { contextLayers, routeDashes } from './layers/context-layers';
import { offlineStyle } from './offline-style';
import type { MapViewProps } from './map-view';
import { pointsBounds } from './points-bounds';
import { TEST_HOOKS } from '../state/test-hooks';

// maplibre-gl 6 never loads a style without its worker; serve it from our own build.
setWorkerUrl(workerUrl);

/** A fallback camera (continental US) until data gives us bounds. */
const START = { center: [-90.07, 29.96] as [number, number], zoom: 11 };

/**
 * The map itself: MapLibre + one deck.gl overlay. Loaded lazily by ./map-view.tsx (with the
 * deck.gl layer classes already registered), so maplibre-gl and deck.gl stay out of the entry chunk.
 */
export function MapViewGl(props: MapViewProps) {
  markOnce('callsight:map-mount');
  const container = useRef<HTMLDivElement>(null);
  const mapRef = useRef<MapLibreMap | null>(null);
  const overlayRef = useRef<MapboxOverlay | null>(null);
  const fittedTo = useRef<unknown>(null);
  const [zoom, setZoom] = useState(START.zoom);
  const [styleEpoch, setStyleEpoch] = useState(0);
  const [tooltip, setTooltip] = useState<{ x: number; y: number; text: string } | null>(null);
  const [box, setBox] = useState<{ x0: number; y0: number; x1: number; y1: number } | null>(null);
  // lasso being drawn: screen points (to skip jitter) and their [lon, lat] (what is drawn and kept)
  const [lasso, setLasso] = useState<{ screen: { x: number; y: number }[]; ring: [number, number][] } | null>(null);
  // A lasso closed where it started ends in a click there: it must not also pick what is under it.
  const swallowClick = useRef(false);
  const latest = useRef(props);
  latest.current = props;
  const cameraFromLink = useRef(props.initialCamera ?? null);
  const disposeTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  // what the overlay was last given, so a frame can say when areas and calls were first drawn
  const drawing = useRef({ context: false, calls: false });

  useEffect(() => {
    if (!container.current) return;
    // Removal waits one task: a StrictMode remount in between cancels it and keeps the map.
    const scheduleDispose = (map: MapLibreMap) => () => {
      disposeTimer.current = setTimeout(() => {
        disposeTimer.current = null;
        map.remove();
        mapRef.current = null;
        overlayRef.current = null;
        // a later map instance starts at START: frame it again
        fittedTo.current = null;
      }, 0);
    };
    // React StrictMode (dev, i.e. `npm start`) unmounts and remounts every component at once:
    // keep the map that is being disposed instead of building a second WebGL context and style.
    if (disposeTimer.current !== null && mapRef.current) {
      clearTimeout(disposeTimer.current);
      disposeTimer.current = null;
      return scheduleDispose(mapRef.current);
    }
    const map = new MapLibreMap({
      container: container.current,
      style: offlineStyle(),
      center: cameraFromLink.current ? [cameraFromLink.current.lon, cameraFromLink.current.lat] : START.center,
      zoom: cameraFromLink.current?.zoom ?? START.zoom,
      // shift-drag is our rectangle selection, not MapLibre's box zoom
      boxZoom: false,
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
      onAfterRender: () => {
        if (readiness().deckFrames === 0) markOnce('callsight:first-deck-frame');
        // deck.gl's first frames can be drawn before its canvas has the map's size (a small
        // buffer stretched over the map, seen in screencasts): only a full-size frame counts.
        const deckCanvas = map.getContainer().querySelector<HTMLCanvasElement>('canvas:not(.maplibregl-canvas)');
        const fullSize = !deckCanvas || Math.abs(deckCanvas.width - map.getCanvas().width) <= 2;
        if (fullSize && drawing.current.context) markOnce('callsight:first-context-frame');
        if (fullSize && drawing.current.calls) markOnce('callsight:first-calls-frame');
        setReadiness({ deckFrames: readiness().deckFrames + 1 });
      },
      onHover: (info) => {
        const text = info.object && info.layer ? (latest.current.describe?.(info.layer.id, info.object) ?? null) : null;
        setTooltip(text ? { x: info.x, y: info.y, text } : null);
      },
      onClick: (info) => latest.current.onPick?.(info.layer?.id ?? null, info.object ?? null),
    });
    map.addControl(overlay);
    map.once('load', () => markOnce('callsight:map-style-loaded'));
    map.on('idle', () => {
      markOnce('callsight:map-idle');
      setReadiness({ mapIdle: true });
    });
    map.on('movestart', () => setReadiness({ mapIdle: false }));
    map.on('zoomend', () => setZoom(map.getZoom()));
    const reportCamera = () => {
      const c = map.getCenter();
      const b = map.getBounds();
      latest.current.onCamera?.({ lon: c.lng, lat: c.lat, zoom: map.getZoom(), bounds: [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()] });
    };
    map.on('moveend', reportCamera);
    map.once('load', reportCamera);
    map.on('style.load', () => setStyleEpoch((n) => n + 1));
    mapRef.current = map;
    overlayRef.current = overlay;
    // Dev/test builds only: e2e tests drag a selection around a known coordinate.
    if (TEST_HOOKS) {
      readiness().project = (lon: number, lat: number) => {
        const p = map.project([lon, lat]);
        const r = map.getContainer().getBoundingClientRect();
        return { x: r.left + p.x, y: r.top + p.y };
      };
    }
    return scheduleDispose(map);
  }, []);

  useEffect(() => props.onZoom?.(zoom), [zoom, props.onZoom]);

  // A tile style (settings) replaces only the background: the context is drawn by deck.gl,
  // which sits above whatever MapLibre draws.
  // biome-ignore lint/correctness/useExhaustiveDependencies: styleEpoch changes *because* of this effect; depending on it would loop
  useEffect(() => {
    const map = mapRef.current;
    if (!map) return;
    if (props.tileStyleUrl) map.setStyle(props.tileStyleUrl);
    else if (styleEpoch > 0) map.setStyle(offlineStyle());
  }, [props.tileStyleUrl]);

  // Frame each new dataset: areas first (they arrive before DuckDB is up), then calls
  // unless they already sit in view; calls from another city must not load off-screen.
  useEffect(() => {
    const map = mapRef.current;
    if (!map) return;
    // Areas, when loaded, frame the study region: they stay only while the calls lie inside
    // them (import-flow clears mismatched areas), and a few mis-geocoded calls 1,000 km away
    // must not zoom the city out to a dot.
    const target = props.areas ?? (props.points?.length ? props.points : (props.routes ?? props.stops));
    if (!target || fittedTo.current === target) return;
    if (cameraFromLink.current) {
      // a shared link names its camera; keep it for the first dataset
      if (props.points?.length) cameraFromLink.current = null;
      fittedTo.current = target;
      return;
    }
    const bounds = target === props.points ? pointsBounds(props.points) : (bbox(target as FeatureCollection) as [number, number, number, number]);
    if (!bounds?.every(Number.isFinite)) return;
    const previous = fittedTo.current;
    fittedTo.current = target;
    const center: [number, number] = [(bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2];
    if (target === props.points && previous && map.getBounds().contains(center)) return;
    map.fitBounds(
      [
        [bounds[0], bounds[1]],
        [bounds[2], bounds[3]],
      ],
      { padding: 24, animate: false },
    );
    setZoom(map.getZoom());
  }, [props.areas, props.points, props.routes, props.stops]);

  // Dashes are cut once per whole zoom level, not on every fractional zoom step.
  const dashZoom = Math.floor(zoom);
  const dashes = useMemo(() => (props.routes ? routeDashes(props.routes, dashZoom) : []), [props.routes, dashZoom]);
  const labels = useMemo(() => (props.areas ? areaLabels(props.areas, props.areaNameProperty) : []), [props.areas, props.areaNameProperty]);

  useEffect(() => {
    // the loaded context at the bottom, under every data layer
    const context = contextLayers({ areas: props.areas, routes: props.routes }, { zoom, dashes });
    const layers: Layer[] = [...context, ...props.layers(zoom)];
    if (labels.length) layers.push(areaLabelsLayer(labels, { zoom }));
    if (lasso && lasso.ring.length > 1) layers.push(lassoLayer(lasso.ring, true));
    drawing.current = { context: context.length > 0, calls: layers.some((l) => l.id.startsWith('calls-')) };
    overlayRef.current?.setProps({ layers });
  }, [labels, props.layers, zoom, lasso, props.areas, props.routes, dashes]);

  // Rectangle selection: MapLibre keeps panning unless the tool is armed or shift is held.
  useEffect(() => {
    const map = mapRef.current;
    if (!map) return;
    if (props.selecting || props.lassoing) map.dragPan.disable();
    else map.dragPan.enable();
  }, [props.selecting, props.lassoing]);

  const pointer = (e: React.PointerEvent<HTMLDivElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  };

  return (
    <div
      className={`map-canvas${props.selecting || props.lassoing ? ' map-canvas--selecting' : ''}`}
      data-testid="map"
      onPointerDownCapture={(e) => {
        swallowClick.current = false; // a lasso that ended without a click must not eat this one
        if (props.lassoing && e.button === 0 && mapRef.current) {
          const p = pointer(e);
          const at = mapRef.current.unproject([p.x, p.y]);
          setLasso({ screen: [p], ring: [[at.lng, at.lat]] });
          e.stopPropagation();
          return;
        }
        if (!(props.selecting || e.shiftKey) || e.button !== 0) return;
        const p = pointer(e);
        mapRef.current?.dragPan.disable();
        setBox({ x0: p.x, y0: p.y, x1: p.x, y1: p.y });
        e.stopPropagation();
      }}
      onClickCapture={(e) => {
        if (!swallowClick.current) return;
        swallowClick.current = false;
        e.stopPropagation();
      }}
      onPointerMoveCapture={(e) => {
        if (lasso && mapRef.current) {
          const p = pointer(e);
          const last = lasso.screen[lasso.screen.length - 1]!;
          // a corner every 4 px: enough for a hand-drawn outline, few enough for the SQL
          if (Math.hypot(p.x - last.x, p.y - last.y) < 4) return;
          const at = mapRef.current.unproject([p.x, p.y]);
          setLasso({ screen: [...lasso.screen, p], ring: [...lasso.ring, [at.lng, at.lat]] });
          return;
        }
        if (!box) return;
        const p = pointer(e);
        setBox({ ...box, x1: p.x, y1: p.y });
      }}
      onPointerUpCapture={() => {
        if (lasso) {
          swallowClick.current = true;
          setLasso(null);
          if (lasso.ring.length >= 3) props.onLasso?.(lasso.ring);
          return;
        }
        const map = mapRef.current;
        if (!box || !map) return;
        setBox(null);
        if (!props.selecting) map.dragPan.enable();
        if (Math.abs(box.x1 - box.x0) < 4 || Math.abs(box.y1 - box.y0) < 4) return;
        const a = map.unproject([Math.min(box.x0, box.x1), Math.max(box.y0, box.y1)]);
        const b = map.unproject([Math.max(box.x0, box.x1), Math.min(box.y0, box.y1)]);
        props.onBox?.([a.lng, a.lat, b.lng, b.lat]);
      }}
    >
      <div ref={container} className="map-canvas__gl" />
      {box ? (
        <div
          className="select-box"
          style={{ left: Math.min(box.x0, box.x1), top: Math.min(box.y0, box.y1), width: Math.abs(box.x1 - box.x0), height: Math.abs(box.y1 - box.y0) }}
        />
      ) : null}
      {tooltip ? (
        <div className="map-tooltip" role="tooltip" data-testid="map-tooltip" style={{ left: tooltip.x + 12, top: tooltip.y + 12 }}>
          {tooltip.text}
        </div>
      ) : null}
    </div>
  );
}

