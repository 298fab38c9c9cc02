import { type ComponentType, lazy, type ReactNode, Suspense } from 'react';
import type { Sql } from '../data/sql';

/**
 * The side panel's tabs, in order. A feature adds itself with ONE entry here (e.g. the triage
 * panel: `{ id: 'triage', label: 'Triage', render: (c) => <TriagePanel where={c.where} /> }`).
 */
export interface SidePanelTab {
  id: string;
  label: string;
  render: (ctx: SidePanelContext) => ReactNode;
}

/** What the shell hands every tab (extend additively). */
export interface SidePanelContext {
  quality: ReactNode;
  charts: ReactNode;
  detail: ReactNode;
  views: ReactNode;
  /** The dashboard's cross-filter over `calls` (every active filter), for tabs that follow it. */
  where: Sql;
}

/**
 * A tab whose code loads when it is first opened (its own chunk, out of the initial JS). Use it
 * for every tab not shown at start-up: `const Plan = lazyPanel(() => import('./planner').then((m) => m.PlanPanel));`
 */
export function lazyPanel<P extends object>(load: () => Promise<ComponentType<P>>): ComponentType<P> {
  const Panel = lazy(() =>
    load().then(
      (c) => ({ default: c }),
      (e: unknown) => ({
        default: () => (
          <p role="alert">
            This panel could not load ({String(e)}). Reload the page; if it persists, the app files on the server are incomplete.
          </p>
        ),
      }),
    ),
  );
  return (props: P) => (
    <Suspense
      fallback={
        <p className="muted" role="status">
          Loading…
        </p>
      }
    >
      <Panel {...props} />
    </Suspense>
  );
}

const TriagePanel = lazyPanel(() => import('./triage').then((m) => m.TriagePanel));
const PlanPanel = lazyPanel(() => import('./planner').then((m) => m.PlanPanel));

export const SIDE_PANEL_TABS: SidePanelTab[] = [
  { id: 'charts', label: 'Charts', render: (c) => c.charts },
  { id: 'detail', label: 'Details', render: (c) => c.detail },
  { id: 'views', label: 'Views', render: (c) => c.views },
  { id: 'triage', label: 'Triage', render: (c) => <TriagePanel where={c.where} /> },
  { id: 'plan', label: 'Plan', render: (c) => <PlanPanel where={c.where} /> },
  { id: 'quality', label: 'Data quality', render: (c) => c.quality },
];
