/**
 * Named User Timing marks for the start-up path (visible in the browser's Performance panel and
 * read by scripts/bench), so "where do the first seconds go" is answered from the page itself.
 * Each name is marked once per page load: a later dataset or style switch does not move it.
 */
export type BootMark =
  | 'callsight:main'
  | 'callsight:map-mount'
  | 'callsight:map-style-loaded'
  | 'callsight:map-idle'
  | 'callsight:first-deck-frame'
  | 'callsight:first-context-frame'
  | 'callsight:first-calls-frame'
  | 'callsight:db-ready'
  | 'callsight:demo-context-fetched'
  | 'callsight:demo-areas-shown'
  | 'callsight:demo-calls-fetched'
  | 'callsight:demo-calls-imported';

const done = new Set<string>();

export function markOnce(name: BootMark): void {
  if (done.has(name) || typeof performance === 'undefined' || typeof performance.mark !== 'function') return;
  done.add(name);
  performance.mark(name);
}

/** ms since navigation start for each mark set so far (for the bench and support). */
export function bootMarks(): Record<string, number> {
  const out: Record<string, number> = {};
  if (typeof performance === 'undefined' || typeof performance.getEntriesByType !== 'function') return out;
  for (const m of performance.getEntriesByType('mark')) if (m.name.startsWith('callsight:')) out[m.name] = Math.round(m.startTime);
  return out;
}
