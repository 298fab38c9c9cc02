import type { ReactNode } from 'react';
import { TriagePanel } from './triage';

/**
 * The side panel's tabs, in order. A feature adds itself with ONE entry here (e.g. the triage
 * panel: `{ id: 'triage', label: 'Triage', render: () => <TriagePanel /> }`).
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
}

export const SIDE_PANEL_TABS: SidePanelTab[] = [
  { id: 'charts', label: 'Charts', render: (c) => c.charts },
  { id: 'detail', label: 'Details', render: (c) => c.detail },
  { id: 'views', label: 'Views', render: (c) => c.views },
  { id: 'triage', label: 'Triage', render: () => <TriagePanel /> },
  { id: 'quality', label: 'Data quality', render: (c) => c.quality },
];
