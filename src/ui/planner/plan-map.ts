/**
 * The Plan tab's side of the dashboard map, so the app shell adds the rotation with one line in
 * each of buildLayers / describe / onPick and holds no plan logic.
 *
 * The layer factory (deck.gl classes) is imported on demand, the first time there is a plan to
 * draw: the shell imports this module statically, and a static deck.gl import here would put
 * WebGL layers back into the entry chunk (tests/unit/entry-imports.test.ts guards that).
 */
import type { Layer } from '@deck.gl/core';
import type * as RotationLayerModule from '../../map/layers/rotation-layer';
import { describeStop, ROTATION_PICK_ID, type RotationStop, rotationStops } from '../../map/rotation-stops';
import { updateDashboard } from '../../state/dashboard-store';
import { getPlanState, type PlanState, selectPlace, updatePlanState } from '../../state/plan-store';

export { usePlanState as usePlanMapState } from '../../state/plan-store';

let factory: typeof RotationLayerModule | null = null;
let loading: Promise<void> | null = null;

/** Loads the layer factory once; the plan store then changes identity so the map redraws with it. */
export function loadRotationLayer(): Promise<void> {
  loading ??= import('../../map/layers/rotation-layer').then(
    (m) => {
      factory = m;
      updatePlanState({});
    },
    (e: unknown) => {
      loading = null;
      updatePlanState({ error: `The rotation map layer could not load (${String(e)}). The plan itself is fine; reload the page to see it on the map.` });
    },
  );
  return loading;
}

/** The selected shift's rotation layers, or none when there is no plan, the layer is off or not loaded yet. */
export function planMapLayers(s: PlanState): Layer[] {
  if (!s.plan || !s.layer.visible) return [];
  if (!factory) {
    void loadRotationLayer();
    return [];
  }
  return factory.rotationLayers(rotationStops(s.plan, s.shiftIndex), { opacity: s.layer.opacity, selectedId: s.selectedPlaceId });
}

export function describePlanPick(layerId: string, o: unknown): string | null {
  return layerId === ROTATION_PICK_ID ? describeStop(o as RotationStop) : null;
}

/** Click on a numbered place: its explanation opens in the Plan tab. True when the click was ours. */
export function pickPlanPlace(layerId: string | null, o: unknown): boolean {
  if (layerId !== ROTATION_PICK_ID || !o || !getPlanState().plan) return false;
  selectPlace((o as RotationStop).placeId);
  updateDashboard({ tab: 'plan' });
  return true;
}
