/**
 * The Plan tab's side of the dashboard map, so the app shell adds the rotation with one line in
 * each of buildLayers / describe / onPick and holds no plan logic.
 */
import type { Layer } from '@deck.gl/core';
import { describeStop, ROTATION_PICK_ID, type RotationStop, rotationLayers, rotationStops } from '../../map/layers/rotation-layer';
import { updateDashboard } from '../../state/dashboard-store';
import type { PlanState } from '../../state/plan-store';
import { selectPlace } from '../../state/plan-store';

export { usePlanState as usePlanMapState } from '../../state/plan-store';

/** The selected shift's rotation layers, or none when there is no plan or the layer is off. */
export function planMapLayers(s: PlanState): Layer[] {
  if (!s.plan || !s.layer.visible) return [];
  return rotationLayers(rotationStops(s.plan, s.shiftIndex), { opacity: s.layer.opacity, selectedId: s.selectedPlaceId });
}

export function describePlanPick(layerId: string, o: unknown): string | null {
  return layerId === ROTATION_PICK_ID ? describeStop(o as RotationStop) : null;
}

/** Click on a numbered place: its explanation opens in the Plan tab. True when the click was ours. */
export function pickPlanPlace(layerId: string | null, o: unknown): boolean {
  if (layerId !== ROTATION_PICK_ID || !o) return false;
  selectPlace((o as RotationStop).placeId);
  updateDashboard({ tab: 'plan' });
  return true;
}
