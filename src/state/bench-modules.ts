/**
 * The modules `npm run bench` drives the app through (scripts/bench/browser.ts), by the source
 * path it names them with. On the dev server the bench could import `/src/...` directly; a
 * production build has no such URLs, so a build made with the test hooks (test-hooks.ts) loads
 * this chunk instead: the same module instances the app runs, so the bench's selection changes
 * reach the app's own stores. Never loaded by a normal build.
 */
import * as crossfilterClauses from '../../scripts/bench/crossfilter-clauses';
import * as hubs from '../analysis/hubs';
import * as views from '../data/queries/views';
import * as sqlModule from '../data/sql';
import * as dashboardController from './dashboard-controller';
import * as dashboardStore from './dashboard-store';
import * as db from './db';
import * as hotspotCells from './hotspot-cells';
import * as repeatClustersRun from './repeat-clusters-run';
import * as selection from './selection';
import * as sessionStore from './session-store';
import * as triageReport from './triage-report';
import * as viewClients from './view-clients';

export const BENCH_MODULES: Record<string, Record<string, unknown>> = {
  '/src/state/db.ts': db,
  '/src/state/dashboard-store.ts': dashboardStore,
  '/src/state/dashboard-controller.ts': dashboardController,
  '/src/state/selection.ts': selection,
  '/src/state/view-clients.ts': viewClients,
  '/src/state/session-store.ts': sessionStore,
  '/src/state/triage-report.ts': triageReport,
  '/src/state/hotspot-cells.ts': hotspotCells,
  '/src/state/repeat-clusters-run.ts': repeatClustersRun,
  '/src/data/queries/views.ts': views,
  '/src/data/sql.ts': sqlModule,
  '/src/analysis/hubs.ts': hubs,
  '/scripts/bench/crossfilter-clauses.ts': crossfilterClauses,
};
