import type { HexagonLayer } from '@deck.gl/aggregation-layers';
import type { GeoJsonLayer, PathLayer, PolygonLayer, ScatterplotLayer, TextLayer } from '@deck.gl/layers';

/**
 * The deck.gl layer classes, filled in once by the lazily loaded map chunk.
 *
 * Why a registry: deck.gl + luma.gl are ~200 kB gzipped, and the layer factories in this folder
 * are imported by the app shell (src/ui/app.tsx builds its layer list from them). A static
 * `import { ScatterplotLayer } from '@deck.gl/layers'` in a factory would pull all of deck.gl
 * into the entry chunk. The factories import only *types* from deck.gl and take the classes
 * from here at call time; the map (src/map/map-view-gl.tsx) awaits `loadDeckClasses()` before
 * it first calls the `layers(zoom)` callback, so a factory never runs before the classes exist.
 *
 * Pattern for a new layer factory (e.g. layers/rotation-layer.ts):
 *   import type { Layer } from '@deck.gl/core';               // types only
 *   import { deckClasses } from './deck-classes';
 *   export function rotationLayer(data: Stop[], o: Options): Layer {
 *     const { ScatterplotLayer } = deckClasses();             // at call time, not module load
 *     return new ScatterplotLayer<Stop>({ id: 'rotation', data, ... }) as unknown as Layer;
 *   }
 * A class not listed below: add it to `DeckClasses` and to `loadDeckClasses()` (one line each).
 * Tests: `beforeAll(loadDeckClasses)` in the test file.
 */
export interface DeckClasses {
  GeoJsonLayer: typeof GeoJsonLayer;
  PathLayer: typeof PathLayer;
  PolygonLayer: typeof PolygonLayer;
  ScatterplotLayer: typeof ScatterplotLayer;
  TextLayer: typeof TextLayer;
  HexagonLayer: typeof HexagonLayer;
}

let classes: DeckClasses | null = null;
let loading: Promise<DeckClasses> | null = null;

/** Loads @deck.gl/layers and @deck.gl/aggregation-layers once; later calls share the promise. */
export function loadDeckClasses(): Promise<DeckClasses> {
  loading ??= Promise.all([import('@deck.gl/layers'), import('@deck.gl/aggregation-layers')]).then(
    ([layers, aggregation]) => {
      classes = {
        GeoJsonLayer: layers.GeoJsonLayer,
        PathLayer: layers.PathLayer,
        PolygonLayer: layers.PolygonLayer,
        ScatterplotLayer: layers.ScatterplotLayer,
        TextLayer: layers.TextLayer,
        HexagonLayer: aggregation.HexagonLayer,
      };
      return classes;
    },
    (e: unknown) => {
      loading = null; // a failed chunk fetch (e.g. the server restarted) may be retried
      throw e;
    },
  );
  return loading;
}

/** The loaded classes. Throws if called before `loadDeckClasses()` settled: a wiring bug, not a user error. */
export function deckClasses(): DeckClasses {
  if (!classes) throw new Error('deck.gl layer classes are not loaded yet: await loadDeckClasses() before building layers (the map does this before its first draw).');
  return classes;
}
