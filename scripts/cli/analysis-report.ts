import type { AnalysesOutput } from './run-analyses';

const fmt = (n: number) => n.toLocaleString('en-US');
const num = (v: number, digits = 2) => (Number.isFinite(v) ? v.toFixed(digits) : '–');
const sci = (v: number) => (!Number.isFinite(v) ? '–' : v < 0.001 ? v.toExponential(1) : v.toFixed(3));

/** Text report of the analyses; the parameters (defaults included) come first so a run can be repeated. */
export function formatAnalyses(o: AnalysesOutput): string {
  const p = o.parameters;
  const nb = p.hotspots.neighbours;
  const lines = [
    '',
    'Parameters (defaults unless set)',
    `  grid ${p.hotspots.grid}, cell ${p.hotspots.cellMeters} m, neighbours ${nb.kind === 'knn' ? `${nb.k} nearest` : nb.bandMeters ? `band ${nb.bandMeters} m` : 'band 1.5 × cell spacing'}, study area ${p.hotspots.studyArea}`,
    `  cube step ${p.emerging.step}, time neighbourhood ${p.emerging.neighbourhoodTimeSteps}, bin α ${p.emerging.binAlpha}, trend α ${p.emerging.trendAlpha}`,
    `  cluster types ${p.clusters.types.join(', ')}; windows ${p.clusters.windows.join(', ')}; radius ${p.clusters.radiusMeters} m; min calls ${p.clusters.minCalls}`,
    `  Knox space ${p.knox.spaceBreaksMeters.join(',')} m, days ${p.knox.timeBreaksDays.join(',')}, ${p.knox.metric}, types ${p.knox.types.length ? p.knox.types.join(', ') : 'all'}`,
    `  hubs ≥ ${p.transit.minRoutes} routes, near hub ≤ ${p.transit.nearHubMeters} m, rings ${p.transit.ringBreaksMeters.join(',')} m`,
    `  seed ${p.seed}, iterations ${p.iterations}; period ${p.filters.from ?? 'start'} … ${p.filters.to ?? 'end'}`,
  ];
  if (o.exclusions) {
    lines.push(`Calls analysed: ${fmt(o.exclusions.analysed)} of ${fmt(o.exclusions.located)} located`);
    for (const c of o.exclusions.counts) lines.push(`  excluded ${c.label}: ${fmt(c.excluded)} calls (${fmt(c.matched)} matched)`);
  }
  if (o.hotspots) {
    const h = o.hotspots;
    const s = h.summary;
    lines.push('', `Hotspots (Gi*, ${h.parameters.neighboursUsed.kind === 'band' ? `band ${num(h.parameters.neighboursUsed.bandMeters, 0)} m` : `${h.parameters.neighboursUsed.k} nearest`}, BH q; ${fmt(s.cells)} cells, ${fmt(s.emptyCells)} empty, study area ${h.parameters.studyAreaUsed})`);
    lines.push(`  hot 99/95/90 %: ${s['hot-99']}/${s['hot-95']}/${s['hot-90']}   cold 99/95/90 %: ${s['cold-99']}/${s['cold-95']}/${s['cold-90']}`);
    for (const n of h.notes) lines.push(`  note: ${n}`);
    const top = h.cells.filter((c) => c.bin > 0).sort((a, b) => b.z - a.z).slice(0, 10);
    for (const c of top) lines.push(`  ${c.class.padEnd(7)} ${c.id.padEnd(16)} ${num(c.center[1], 5)},${num(c.center[0], 5)}  calls ${String(c.count).padStart(5)}  z ${num(c.z)}  q ${sci(c.q)}`);
  }
  if (o.emerging) {
    const e = o.emerging;
    lines.push('', `Emerging hot spots (${e.steps.nSteps} ${e.parameters.step}s ${e.steps.firstDay} … ${e.steps.lastDay}, ${fmt(e.cells.length)} cells with calls)`);
    for (const [k, v] of Object.entries(e.categories).sort((a, b) => b[1]! - a[1]!)) lines.push(`  ${k.padEnd(18)} ${v}`);
    for (const c of e.cells.filter((c) => /^(new|consecutive|intensifying)-hot$/.test(c.category)).slice(0, 10)) lines.push(`  ${c.category.padEnd(18)} ${c.id}  counts ${c.counts.join(',')}`);
  }
  if (o.clusters) {
    const c = o.clusters;
    lines.push('', `Repeat-report clusters (${fmt(c.candidates)} candidate calls; types matched: ${c.matchedTypes.map((t) => `${t.typeText ?? t.typeCode} ${t.calls}`).join(', ') || 'none'})`);
    for (const w of c.perWindow) lines.push(`  window ${w.windowId}: ${fmt(w.candidates)} calls, ${fmt(w.clustered)} in clusters, ${fmt(w.noise)} noise`);
    for (const k of c.clusters.slice(0, 10)) {
      const hub = k.nearestHub ? `; hub ${k.nearestHub.name ?? k.nearestHub.id} ${num(k.nearestHub.distanceMeters, 0)} m${k.nearHub ? ' (near)' : ''}` : '';
      lines.push(`  ${k.id}: ${k.calls} calls, ${k.distinctNights} nights ${k.firstDate}…${k.lastDate}, ${k.addresses[0]?.value ?? '–'}${hub}`);
    }
  }
  if (o.knox) {
    const k = o.knox;
    lines.push('', `Knox near-repeat (${fmt(k.events)} calls; ${k.note})`, '  space × time: observed / expected = ratio (p)');
    for (const r of k.rows) lines.push(`  ${r.space.padEnd(14)} ${r.time.padEnd(12)} ${String(r.observed).padStart(7)} / ${num(r.expected, 1).padStart(9)} = ${r.ratio === null ? '–' : num(r.ratio)} (${sci(r.p)})`);
  }
  if (o.transit) {
    const t = o.transit;
    lines.push('', `Transit (${t.boardingStops} stops, ${t.hubs.length} hubs${t.routesInferredFromShapes ? '; routes inferred from shapes' : ''})`);
    for (const n of t.notes) lines.push(`  note: ${n}`);
    for (const h of t.hubs.slice(0, 10)) lines.push(`  ${h.name}: routes ${h.routeNames.join(', ')}`);
    if (t.decay) for (const r of t.decay.rings) lines.push(`  ring ${r.innerMeters}–${r.outerMeters} m: ${r.calls} calls, ${num(r.densityPerKm2, 0)}/km², RR vs rest ${num(r.rrRest)} (p ${sci(r.pValue)})`);
    if (t.relocation) lines.push(`  relocation test: ${t.relocation.observed} calls within ${t.parameters.nearHubMeters} m of hubs, p = ${sci(t.relocation.pValue)} (${t.relocation.permutations} draws of stops, seed ${t.relocation.seed})`);
    const near = t.cells.filter((c) => c.nearHub).length;
    if (t.cells.length) lines.push(`  significant cells near a hub: ${near} of ${t.cells.length}`);
    if (t.clusters.length) lines.push(`  clusters near a hub: ${t.clusters.filter((c) => c.nearHub).length} of ${t.clusters.length}`);
  }
  lines.push('', `Timings: ${Object.entries(o.timingsMs).map(([k, v]) => `${k} ${v} ms`).join(', ')}`);
  return `${lines.join('\n')}\n`;
}
