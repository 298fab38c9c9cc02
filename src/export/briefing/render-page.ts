import { areaMapSvg, changeArrow, classLabel, heatmapSvg, hotspotMapSvg, outcomeSvg, rotationSvg, trendSvg } from './charts-svg';
import { esc, HIDDEN, num, signed, valueCell } from './format';
import { formatDay, lastDay } from './periods';
import type { BriefingModel, ChangeFigure, PublishedTable } from './types';

/**
 * model → index.html. Every interpolated text goes through `esc`; the page has no inline
 * script or style, so the CSP can be strict: nothing but the folder's own files.
 */
export const BRIEFING_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'";

export function renderPage(m: BriefingModel): string {
  const period = `${formatDay(m.current.start)} – ${formatDay(lastDay(m.current))}`;
  const title = m.narrative.title.trim() || 'Calls for service briefing';
  const sections = [
    section('summary', 'Summary', summary(m)),
    section('map', 'Where calls came from', mapSection(m)),
    section('time', 'When calls came in', heatmapSection(m)),
    section('trend', 'Week by week', trendSection(m)),
    section('tiers', 'Tiers and outcomes', tierSection(m)),
    ...(m.rotation ? [section('patrol', 'Suggested patrol time by area', rotationSection(m))] : []),
    section('method', 'How these figures were made', methodology(m)),
  ];
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${BRIEFING_CSP}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="assets/briefing.css">
<script src="data.js" defer></script>
<script src="assets/briefing.js" defer></script>
</head>
<body>
<a class="skip" href="#main">Skip to the briefing</a>
<header class="masthead">
<p class="place">${esc(m.place)}</p>
<h1>${esc(title)}</h1>
<p class="dates">Calls for service, <strong>${esc(period)}</strong>, compared with ${esc(formatDay(m.previous.start))} – ${esc(formatDay(lastDay(m.previous)))}. Published ${esc(formatDay(m.publishedOn))}.</p>
<div class="tools" id="tools"></div>
</header>
<nav aria-label="Sections"><ul>${sections.map((s) => `<li><a href="#${s.id}">${esc(s.heading)}</a></li>`).join('')}</ul></nav>
<main id="main">
${sections.map((s) => s.html).join('\n')}
</main>
<footer><p>Made with Callsight from the department's call log. Counts under ${m.k} and the numbers that would reveal them are hidden; sensitive call types are shown only as citywide monthly totals. This page makes no request beyond its own folder.</p></footer>
</body>
</html>
`;
}

function section(id: string, heading: string, body: string): { id: string; heading: string; html: string } {
  return { id, heading, html: `<section id="${id}" aria-labelledby="${id}-h"><h2 id="${id}-h">${esc(heading)}</h2>${body}</section>` };
}

function paragraphs(text: string): string {
  return text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => `<p>${esc(p)}</p>`)
    .join('');
}

function card(f: ChangeFigure, big: boolean): string {
  const dir = changeArrow(f);
  const pct = f.changePct === null ? '' : ` (${signed(f.changePct, ' %')})`;
  return `<div class="card${big ? ' card-big' : ''}"><p class="card-label">${esc(f.label)}</p><p class="card-value">${num(f.current)}</p><p class="card-change change-${dir.replace(' ', '-')}">${f.change === null ? 'change not shown' : `${signed(f.change)}${pct} vs previous`}</p><p class="card-prev">Previous: ${num(f.previous)}</p></div>`;
}

function summary(m: BriefingModel): string {
  const [all, ...tiers] = m.headline;
  const cards = `<div class="cards">${card(all!, true)}${tiers.filter((t) => t.current !== 0 || t.previous !== 0).map((t) => card(t, false)).join('')}</div>`;
  const hot = `<p class="lead">${m.hotspots.hot} of ${m.hotspots.cells} squares of ${m.hotspots.cellMeters} m are hot spots this period.</p>`;
  const n = m.narrative;
  return `${paragraphs(n.summary)}${cards}${hot}${n.paragraphs.map(paragraphs).join('')}${n.notes.trim() ? `<aside class="notes" aria-label="Notes"><h3>Notes</h3>${paragraphs(n.notes)}</aside>` : ''}`;
}

/** A published table with its caption; `rowHeader` names the first column. */
export function tableHtml(t: PublishedTable, rowHeader: string, o: { totals?: boolean; caption?: string } = {}): string {
  const totals = o.totals ?? true;
  const head = `<tr><th scope="col">${esc(rowHeader)}</th>${t.cols.map((c) => `<th scope="col">${esc(c.label)}</th>`).join('')}${totals && t.rowTotals ? '<th scope="col">Total</th>' : ''}</tr>`;
  const body = t.rows.map((r, i) => `<tr><th scope="row">${esc(r.label)}</th>${t.cells[i]!.map(valueCell).join('')}${totals && t.rowTotals ? valueCell(t.rowTotals[i]!) : ''}</tr>`).join('');
  const foot = totals && t.colTotals ? `<tr><th scope="row">Total</th>${t.colTotals.map(valueCell).join('')}${t.rowTotals ? valueCell(t.grandTotal) : ''}</tr>` : '';
  return `<div class="table-wrap" tabindex="0" role="region" aria-label="${esc(o.caption ?? t.title)} (table)"><table data-table="${esc(t.id)}"><caption>${esc(o.caption ?? t.title)}</caption><thead>${head}</thead><tbody>${body}</tbody>${foot ? `<tfoot>${foot}</tfoot>` : ''}</table></div>`;
}

function changeTable(rows: readonly ChangeFigure[], caption: string, first: string): string {
  const body = rows
    .map((r) => `<tr><th scope="row">${esc(r.label)}</th>${valueCell(r.current)}${valueCell(r.previous)}<td>${signed(r.change)}</td><td>${r.changePct === null ? '–' : signed(r.changePct, ' %')}</td></tr>`)
    .join('');
  return `<div class="table-wrap" tabindex="0" role="region" aria-label="${esc(caption)} (table)"><table data-table="area-change"><caption>${esc(caption)}</caption><thead><tr><th scope="col">${esc(first)}</th><th scope="col">This period</th><th scope="col">Previous</th><th scope="col">Change</th><th scope="col">Change %</th></tr></thead><tbody>${body}</tbody></table></div>`;
}

function mapSection(m: BriefingModel): string {
  const values = new Map(m.areaChange.map((a) => [a.key, a.current]));
  const hot = m.map.cells.filter((c) => c.class !== 'not-significant' && c.class !== 'undefined');
  const cellCount = new Map(m.tables.cells.rows.map((r, i) => [r.key, m.tables.cells.cells[i]![0]!]));
  const order = ['hot-99', 'hot-95', 'hot-90', 'cold-90', 'cold-95', 'cold-99'];
  hot.sort((a, b) => order.indexOf(a.class) - order.indexOf(b.class) || (cellCount.get(b.key) ?? -1) - (cellCount.get(a.key) ?? -1));
  const hotRows = hot.map((c) => `<tr><th scope="row">${esc(c.area ?? 'Outside the mapped areas')}</th><td>${esc(classLabel(c.class))}</td>${valueCell(cellCount.get(c.key) ?? null)}</tr>`).join('');
  const hotTable = `<div class="table-wrap" tabindex="0" role="region" aria-label="Hot and cold spot squares (table)"><table data-table="hotspots"><caption>Hot and cold spot squares (${m.map.cellMeters} m), this period</caption><thead><tr><th scope="col">Area</th><th scope="col">Class</th><th scope="col">Calls</th></tr></thead><tbody>${hotRows || '<tr><td colspan="3">No square differs from chance at 90 % confidence.</td></tr>'}</tbody></table></div>`;
  return `<figure>${areaMapSvg(m.map, values, 'Calls by area, this period')}<figcaption>Calls by area this period. Hatched areas have a hidden count.</figcaption></figure>
${changeTable(m.areaChange, 'Calls by area, this period and the previous one', 'Area')}
<figure>${hotspotMapSvg(m.map, `Hot spots: ${m.map.cellMeters} m squares`)}<figcaption>Squares of ${m.map.cellMeters} m (${m.map.cellKm2.toFixed(2)} km²) where calls cluster beyond chance (Getis–Ord Gi*, false discovery rate controlled). No location finer than a square is published.</figcaption></figure>
${hotTable}`;
}

function heatmapSection(m: BriefingModel): string {
  return `<figure>${heatmapSvg(m.tables.hourOfWeek)}<figcaption>Calls this period by day of week and hour of the day (agency local time).</figcaption></figure>${tableHtml(m.tables.hourOfWeek, 'Day')}`;
}

function trendSection(m: BriefingModel): string {
  return `<figure>${trendSvg(m.tables.weeks, m.tables.weeksPrevious, { current: 'This period', previous: 'Previous period' })}<figcaption>Calls per week. Weeks count from the first day of each period.</figcaption></figure>${tableHtml(m.tables.weeks, 'Week', { caption: 'Calls per week, this period' })}${tableHtml(m.tables.weeksPrevious, 'Week', { caption: 'Calls per week, previous period' })}`;
}

function tierSection(m: BriefingModel): string {
  return `<p>Tiers follow the department's triage levels: Level 1 minor calls that could be handled by follow-up or referral, Level 2 suspicious but not immediate, Level 3 a clear threat.</p>${tableHtml(m.tables.areaTier, 'Area', { caption: 'Calls by area and tier, this period' })}<figure>${outcomeSvg(m.tables.tierOutcome)}<figcaption>How calls ended, by tier, this period.</figcaption></figure>${tableHtml(m.tables.tierOutcome, 'Tier')}`;
}

function rotationSection(m: BriefingModel): string {
  const r = m.rotation!;
  const rows = r.rows.map((x) => `<tr><th scope="row">${esc(x.label)}</th>${valueCell(x.minutesPerWeek)}<td>${x.minutesSharePct === null ? HIDDEN : `${x.minutesSharePct} %`}</td><td>${x.residentSharePct === null ? HIDDEN : `${x.residentSharePct} %`}</td></tr>`).join('');
  return `<p>Directed patrol suggested for the coming week, summed by area. Places, units and schedules are operational and are not published.</p><figure>${rotationSvg(r.rows)}<figcaption>Evidence: calls from ${esc(r.evidence)}.</figcaption></figure><div class="table-wrap" tabindex="0" role="region" aria-label="Suggested patrol by area (table)"><table data-table="rotation"><caption>Suggested patrol minutes per week by area</caption><thead><tr><th scope="col">Area</th><th scope="col">Minutes per week</th><th scope="col">Share of minutes</th><th scope="col">Share of resident calls</th></tr></thead><tbody>${rows}</tbody></table></div>${r.notes.map((n) => `<p class="small">${esc(n)}</p>`).join('')}`;
}

function methodology(m: BriefingModel): string {
  const q = m.quality;
  const cats = m.sensitive.categories.map((c) => `<tr><th scope="row">${esc(c.label)}</th>${valueCell(c.removed)}</tr>`).join('');
  const months = m.tables.sensitiveMonths;
  return `<h3>Periods</h3><p>This period: ${esc(m.current.label)}. Previous period: ${esc(m.previous.label)}. Times are the agency's local clock.</p>
<h3>Privacy protections</h3>
<ul><li>No individual call, call number, address or exact location is published; only the tables on this page.</li>
<li>Any count from 1 to ${m.k - 1} is hidden, and so are other counts that would let a reader work it out from totals (${m.disclosure.primary} small counts and ${m.disclosure.secondary} protecting counts hidden). Every hidden number was checked to be impossible to recompute, exactly or to within ${m.k}, from everything published (${m.disclosure.auditedCells.toLocaleString('en-US')} numbers audited).</li>
<li>Places are generalised to neighbourhood areas and to squares of ${m.map.cellMeters} m (${m.map.cellKm2.toFixed(2)} km²); areas under ${m.disclosure.minAreaKm2} km² are combined.</li>
<li>The briefing is a fixed set of checked tables and cannot be queried, so hidden numbers cannot be found by subtracting one query from another.</li>
<li>Sensitive call types are removed from every table and map and shown only as citywide monthly totals, also subject to the threshold.</li></ul>
<div class="table-wrap" tabindex="0" role="region" aria-label="Sensitive calls removed (table)"><table data-table="sensitive-categories"><caption>Sensitive calls removed, ${esc(m.sensitive.months)} (each call counted under its first matching category)</caption><thead><tr><th scope="col">Category</th><th scope="col">Calls removed</th></tr></thead><tbody>${cats}</tbody><tfoot><tr><th scope="row">Total</th>${valueCell(m.sensitive.total)}</tr></tfoot></table></div>
${tableHtml(months, 'Month', { totals: false, caption: 'Sensitive calls by month, citywide' })}<p class="small">${esc(m.sensitive.note)}</p>
<h3>Hot spots</h3><p>Calls this period were counted in ${m.hotspots.cells} squares of ${m.hotspots.cellMeters} m covering the areas (empty squares included). Each square's count with its neighbours (${esc(m.hotspots.neighbourhood)}) was compared with the citywide average using the Getis–Ord Gi* statistic; p-values were adjusted for testing many squares at once (${esc(m.hotspots.correction)}). ${m.hotspots.hot} hot and ${m.hotspots.cold} cold squares.</p>
<h3>Data quality</h3>
<div class="table-wrap" tabindex="0" role="region" aria-label="Data quality (table)"><table data-table="quality"><caption>The call log behind this briefing</caption><tbody>
<tr><th scope="row">Rows read</th>${valueCell(q.rowsIn)}</tr><tr><th scope="row">Calls loaded</th>${valueCell(q.rowsLoaded)}</tr>
<tr><th scope="row">Rows rejected</th><td>${num(q.rowsRejected)}</td></tr><tr><th scope="row">Duplicate call numbers removed</th><td>${num(q.duplicates)}</td></tr>
<tr><th scope="row">Rows without a usable location</th><td>${num(q.noLocation)}</td></tr>
<tr><th scope="row">Calls from</th><td>${q.firstCall ? esc(formatDay(q.firstCall)) : '–'} to ${q.lastCall ? esc(formatDay(q.lastCall)) : '–'}</td></tr></tbody></table></div>
${q.notes.map((n) => `<p class="small">${esc(n)}</p>`).join('')}`;
}
