/**
 * Whether this build exposes the hooks the e2e tests and `npm run bench` drive the app with
 * (SQL through the app's own DuckDB, map projection). On in the dev server; in a production
 * build only when built with VITE_CALLSIGHT_TEST_HOOKS=1, which the bench does so it can time
 * the production bundle (React's production mode) with the same checks. Vite replaces both
 * values at build time, so a normal production build drops the hooks entirely.
 */
export const TEST_HOOKS: boolean = import.meta.env.DEV || import.meta.env.VITE_CALLSIGHT_TEST_HOOKS === '1';
