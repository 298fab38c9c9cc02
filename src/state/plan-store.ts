/**
 * The rotation plan on screen: the Plan tab's inputs, the current plan, whether it is pinned, and
 * what the map and the tab have selected. The app shell only reads it (map layer, tooltip, pick);
 * the Plan tab writes it. A pinned plan is left alone when the cross-filter changes, so a published
 * rotation does not move while someone explores.
 */
import { useSyncExternalStore } from 'react';
import type { RotationPlan } from '../analysis/rotation';
import { parsePlanJson } from '../export/plan-json';
import { DEFAULT_PLAN_FORM, formFromSettings, type PlanForm } from './plan-form';
import { getSession, subscribeSession } from './session-store';

export interface PlanState {
  form: PlanForm;
  plan: RotationPlan | null;
  /** how the shown plan came to be */
  origin: 'planned' | 'imported' | null;
  /** the file a re-imported plan came from */
  fileName: string | null;
  /** the dashboard filters the plan was built with, as the filter bar reads them ('' = none) */
  builtWith: string;
  pinned: boolean;
  running: boolean;
  progress: { phase: string; fraction: number } | null;
  error: string | null;
  /** index into plan.shifts (one date × shift) */
  shiftIndex: number;
  selectedPlaceId: string | null;
  layer: { visible: boolean; opacity: number };
  /** shift sheets open for this shift index (all units), or null */
  sheetsOpen: boolean;
}

const initial: PlanState = {
  form: DEFAULT_PLAN_FORM,
  plan: null,
  origin: null,
  fileName: null,
  builtWith: '',
  pinned: false,
  running: false,
  progress: null,
  error: null,
  shiftIndex: 0,
  selectedPlaceId: null,
  layer: { visible: true, opacity: 1 },
  sheetsOpen: false,
};

let state: PlanState = initial;
const listeners = new Set<() => void>();

export function getPlanState(): PlanState {
  return state;
}

export function updatePlanState(patch: Partial<PlanState>): void {
  state = { ...state, ...patch };
  for (const l of listeners) l();
}

export function subscribePlan(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function usePlanState(): PlanState {
  return useSyncExternalStore(subscribePlan, getPlanState);
}

export function setPlanForm(patch: Partial<PlanForm>): void {
  updatePlanState({ form: { ...state.form, ...patch } });
}

/** A freshly computed plan. The selected shift keeps its position when it still exists. */
export function showPlan(plan: RotationPlan, builtWith: string): void {
  updatePlanState({
    plan,
    origin: 'planned',
    fileName: null,
    builtWith,
    running: false,
    progress: null,
    error: null,
    shiftIndex: state.shiftIndex < plan.shifts.length ? state.shiftIndex : 0,
    selectedPlaceId: plan.places.some((p) => p.id === state.selectedPlaceId) ? state.selectedPlaceId : null,
  });
}

/**
 * A plan file from disk (validated by the allow-list parser). It opens pinned: it is someone's
 * published plan, and the current filters did not build it. Returns the analyst-facing error, or null.
 */
export function importPlan(text: string, fileName: string): string | null {
  let plan: RotationPlan;
  try {
    plan = parsePlanJson(text, fileName);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    updatePlanState({ error: message });
    return message;
  }
  updatePlanState({
    plan,
    origin: 'imported',
    fileName,
    builtWith: '',
    pinned: true,
    running: false,
    progress: null,
    error: null,
    shiftIndex: 0,
    selectedPlaceId: null,
    form: formFromSettings(plan.settings),
  });
  return null;
}

export function setPinned(pinned: boolean): void {
  updatePlanState({ pinned });
}

export function selectShift(index: number): void {
  const n = state.plan?.shifts.length ?? 0;
  updatePlanState({ shiftIndex: Math.max(0, Math.min(index, n - 1)) });
}

export function selectPlace(id: string | null): void {
  updatePlanState({ selectedPlaceId: id });
}

/** A new dataset: an unpinned plan no longer describes the data on screen. */
export function forgetUnpinnedPlan(): void {
  if (state.pinned) return;
  updatePlanState({ plan: null, origin: null, builtWith: '', shiftIndex: 0, selectedPlaceId: null, sheetsOpen: false });
}

// Watched here rather than in the Plan tab: the map shows the plan while other tabs are open too,
// and an unpinned plan of the previous dataset must not stay on the new one's map.
let seenEpoch = getSession().datasetEpoch;
subscribeSession(() => {
  const epoch = getSession().datasetEpoch;
  if (epoch === seenEpoch) return;
  seenEpoch = epoch;
  forgetUnpinnedPlan();
});
