/**
 * Running the planner from the Plan tab: one run at a time (a new run cancels the one in flight),
 * progress and errors into the plan store. Lives outside the component so a run survives the
 * analyst switching tabs while it works.
 */
import type { Sql } from '../../data/sql';
import { AnalysisError } from '../../workers/analysis-client';
import { getDb } from '../../state/db';
import { buildPlan, type PlanContext, PlanInputError } from '../../state/plan-run';
import { getPlanState, showPlan, updatePlanState } from '../../state/plan-store';
import { currentFilterSummary } from './filter-summary';

let running: AbortController | null = null;
/** the cross-filter the shown (or running) plan was built with */
let builtFor: string | null = null;

/** Stable identity of a WHERE clause (text and parameters), to tell a real filter change. */
export function whereKey(where: Sql): string {
  return JSON.stringify([where.text, where.params], (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
}

export function planBuiltFor(): string | null {
  return builtFor;
}

export async function startPlanning(where: Sql, ctx: PlanContext, areaNames?: ReadonlyMap<string, string>): Promise<void> {
  running?.abort();
  const controller = new AbortController();
  running = controller;
  builtFor = whereKey(where);
  const builtWith = currentFilterSummary(areaNames);
  updatePlanState({ running: true, error: null, progress: { phase: 'Starting', fraction: 0 } });
  try {
    const db = await getDb();
    const plan = await buildPlan(db, where, getPlanState().form, ctx, {
      signal: controller.signal,
      onProgress: (phase, fraction) => {
        if (running === controller) updatePlanState({ progress: { phase, fraction } });
      },
    });
    if (running !== controller) return;
    showPlan(plan, builtWith);
  } catch (e) {
    if (running !== controller) return;
    const cancelled = (e instanceof AnalysisError && e.cancelled) || (e instanceof DOMException && e.name === 'AbortError');
    const message = cancelled
      ? 'Planning was cancelled; the plan shown (if any) is unchanged.'
      : e instanceof PlanInputError || e instanceof RangeError
        ? e.message
        : `The planner failed: ${e instanceof Error ? e.message : String(e)}. Try again; if it keeps failing, report it with the settings shown.`;
    updatePlanState({ running: false, progress: null, error: message });
  } finally {
    if (running === controller) running = null;
  }
}

export function cancelPlanning(): void {
  running?.abort();
}
