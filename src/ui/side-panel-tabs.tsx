import type { ReactNode } from 'react';
import type { Sql } from '../data/sql';
import { PlanPanel } from './planner';
import { TriagePanel } from './triage';

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

export const SIDE_PANEL_TABS: SidePanelTab[] = [
  { id: 'charts', label: 'Charts', render: (c) => c.charts },
  { id: 'detail', label: 'Details', render: (c) => c.detail },
  { id: 'views', label: 'Views', render: (c) => c.views },
  { id: 'triage', label: 'Triage', render: (c) => <TriagePanel where={c.where} /> },
  { id: 'plan', label: 'Plan', render: (c) => <PlanPanel where={c.where} /> },
  { id: 'quality', label: 'Data quality', render: (c) => c.quality },
];
