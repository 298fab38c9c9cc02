import { interpolateBlues, interpolateCividis } from 'd3';
import { esc, num } from './format';
import type { BriefingMap, ChangeFigure, HotspotClassLabel, PublishedTable, RotationAreaRow, Value } from './types';

/**
 * Static SVG charts, rendered at publish time: they need no script, print as drawn and are
 * identical on every screen. Colours go in presentation attributes (fill=…), never style=…,
 * so the page runs under style-src 'self' without 'unsafe-inline'. Every chart is followed by
 * its table in the page; the SVG carries a title and description for screen readers.
 */
const FONT = 'font-family="system-ui, sans-serif"';
const HATCH = 'url(#hidden-hatch)';

export const HOT_COLOURS: Record<HotspotClassLabel, string | null> = {
  'hot-99': '#b2182b',
  'hot-95': '#ef8a62',
  'hot-90': '#fddbc7',
  'cold-90': '#d1e5f0',
  'cold-95': '#67a9cf',
  'cold-99': '#2166ac',
  'not-significant': null,
  undefined: null,
};

function svgOpen(id: string, w: number, h: number, title: string, desc: string): string {
  return `<svg class="chart" viewBox="0 0 ${w} ${h}" role="img" aria-labelledby="${id}-t ${id}-d"><title id="${id}-t">${esc(title)}</title><desc id="${id}-d">${esc(desc)}</desc>${defs()}`;
}

function defs(): string {
  return '<defs><pattern id="hidden-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#f2f2f2"/><line x1="0" y1="0" x2="0" y2="6" stroke="#9a9a9a" stroke-width="2"/></pattern></defs>';
}

/** Calls per area as a choropleth with five quantile-free equal-interval classes of the published counts. */
export function areaMapSvg(map: BriefingMap, values: ReadonlyMap<string, Value>, title: string): string {
  const shown = [...values.values()].filter((v): v is number => v !== null);
  const max = Math.max(1, ...shown);
  const fill = (v: Value | undefined) => (v === null || v === undefined ? HATCH : interpolateBlues(0.12 + 0.78 * (v / max)));
  const paths = map.areas
    .map((a) => `<path d="${a.path}" fill="${fill(values.get(a.combinedInto ?? a.key))}" stroke="#ffffff" stroke-width="1.2"><title>${esc(a.label)}: ${num(values.get(a.combinedInto ?? a.key) ?? null)} calls</title></path>`)
    .join('');
  // Names on the map help a chamber find its own neighbourhood; the halo keeps them legible on dark fills.
  const names = map.areas
    .map((a) => `<text x="${a.labelAt[0]}" y="${a.labelAt[1]}" text-anchor="middle" font-size="12" ${FONT} fill="#111" stroke="#ffffff" stroke-width="3" paint-order="stroke">${esc(a.label)}</text>`)
    .join('');
  const legend = [0, 0.25, 0.5, 0.75, 1]
    .map((f, i) => `<rect x="${20 + i * 70}" y="${map.height + 14}" width="70" height="16" fill="${interpolateBlues(0.12 + 0.78 * f)}"/><text x="${20 + i * 70}" y="${map.height + 48}" font-size="15" ${FONT} fill="#222">${num(Math.round(f * max))}</text>`)
    .join('');
  const hidden = `<rect x="400" y="${map.height + 14}" width="30" height="16" fill="${HATCH}" stroke="#777"/><text x="438" y="${map.height + 28}" font-size="15" ${FONT} fill="#222">hidden (small count)</text>`;
  return `${svgOpen('map-areas', map.width, map.height + 60, title, 'Map of areas shaded by the number of calls this period; darker is more. Exact numbers are in the table below.')}${paths}${names}${legend}${hidden}</svg>`;
}

/** Significant squares over area outlines. */
export function hotspotMapSvg(map: BriefingMap, title: string): string {
  const outlines = map.areas.map((a) => `<path d="${a.path}" fill="#f7f7f4" stroke="#8c8c8c" stroke-width="0.8"/>`).join('');
  const cells = map.cells
    .filter((c) => HOT_COLOURS[c.class])
    .map((c) => `<rect x="${c.x}" y="${c.y}" width="${c.size}" height="${c.size}" fill="${HOT_COLOURS[c.class]}" stroke="#ffffff" stroke-width="0.5"><title>${esc(classLabel(c.class))}${c.area ? `, ${esc(c.area)}` : ''}</title></rect>`)
    .join('');
  const keys: HotspotClassLabel[] = ['hot-99', 'hot-95', 'hot-90', 'cold-90', 'cold-95', 'cold-99'];
  const legend = keys
    .map((k, i) => `<rect x="${20 + (i % 3) * 300}" y="${map.height + 12 + Math.floor(i / 3) * 26}" width="18" height="18" fill="${HOT_COLOURS[k]}"/><text x="${44 + (i % 3) * 300}" y="${map.height + 27 + Math.floor(i / 3) * 26}" font-size="15" ${FONT} fill="#222">${esc(classLabel(k))}</text>`)
    .join('');
  return `${svgOpen('map-hot', map.width, map.height + 66, title, `Squares of ${map.cellMeters} m where calls cluster more (hot) or less (cold) than chance would give. The list of squares is in the table below.`)}${outlines}${cells}${legend}</svg>`;
}

export function classLabel(c: HotspotClassLabel): string {
  const labels: Record<HotspotClassLabel, string> = {
    'hot-99': 'Hot spot, 99 % confidence',
    'hot-95': 'Hot spot, 95 % confidence',
    'hot-90': 'Hot spot, 90 % confidence',
    'cold-90': 'Cold spot, 90 % confidence',
    'cold-95': 'Cold spot, 95 % confidence',
    'cold-99': 'Cold spot, 99 % confidence',
    'not-significant': 'Not significant',
    undefined: 'Not tested',
  };
  return labels[c];
}

export function heatmapSvg(t: PublishedTable): string {
  const cw = 36;
  const ch = 40;
  const left = 120;
  const top = 30;
  const shown = t.cells.flat().filter((v): v is number => v !== null);
  const max = Math.max(1, ...shown);
  let body = '';
  t.rows.forEach((r, i) => {
    body += `<text x="${left - 10}" y="${top + i * ch + 26}" text-anchor="end" font-size="17" ${FONT} fill="#222">${esc(r.label.slice(0, 3))}</text>`;
    t.cols.forEach((_, j) => {
      const v = t.cells[i]![j]!;
      body += `<rect x="${left + j * cw}" y="${top + i * ch}" width="${cw - 2}" height="${ch - 2}" fill="${v === null ? HATCH : interpolateCividis(1 - 0.92 * (v / max))}"><title>${esc(r.label)} ${esc(t.cols[j]!.label)}: ${num(v)}</title></rect>`;
    });
  });
  for (let j = 0; j < 24; j += 3) body += `<text x="${left + j * cw + 2}" y="${top - 8}" font-size="15" ${FONT} fill="#222">${String(j).padStart(2, '0')}h</text>`;
  const w = left + 24 * cw + 10;
  const h = top + 7 * ch + 50;
  const legend = `<rect x="${left}" y="${h - 30}" width="22" height="18" fill="${interpolateCividis(1)}"/><text x="${left + 28}" y="${h - 16}" font-size="15" ${FONT} fill="#222">fewest</text><rect x="${left + 110}" y="${h - 30}" width="22" height="18" fill="${interpolateCividis(0.08)}"/><text x="${left + 138}" y="${h - 16}" font-size="15" ${FONT} fill="#222">most (${num(max)})</text><rect x="${left + 290}" y="${h - 30}" width="22" height="18" fill="${HATCH}" stroke="#777"/><text x="${left + 318}" y="${h - 16}" font-size="15" ${FONT} fill="#222">hidden</text>`;
  return `${svgOpen('heatmap', w, h, t.title, 'Grid of days by hours; darker squares had more calls. The table below has every number.')}${body}${legend}</svg>`;
}

/** Weekly calls, this period against the previous one, week by week. */
export function trendSvg(current: PublishedTable, previous: PublishedTable, labels: { current: string; previous: string }): string {
  const n = Math.max(current.rows.length, previous.rows.length);
  const w = 960;
  const h = 340;
  const left = 70;
  const bottom = 290;
  const vals = (t: PublishedTable) => t.cells.map((r) => r[0] ?? null);
  const cur = vals(current);
  const prev = vals(previous);
  const max = Math.max(1, ...[...cur, ...prev].filter((v): v is number => v !== null));
  const step = Math.floor(((w - left - 20) / n) * 10) / 10;
  const y = (v: number) => Math.round((bottom - (v / max) * (bottom - 20)) * 10) / 10;
  let body = `<line x1="${left}" y1="${bottom}" x2="${w - 10}" y2="${bottom}" stroke="#444"/>`;
  for (const f of [0.5, 1]) body += `<line x1="${left}" y1="${y(f * max)}" x2="${w - 10}" y2="${y(f * max)}" stroke="#ddd"/><text x="${left - 8}" y="${y(f * max) + 5}" text-anchor="end" font-size="15" ${FONT} fill="#222">${num(Math.round(f * max))}</text>`;
  for (let i = 0; i < n; i++) {
    const x = left + i * step;
    const bw = step / 2 - 3;
    const bar = (v: Value | undefined, dx: number, colour: string, which: string) =>
      v === undefined ? '' : v === null ? `<rect x="${x + dx}" y="${bottom - 30}" width="${bw}" height="30" fill="${HATCH}"><title>${which} week ${i + 1}: hidden</title></rect>` : `<rect x="${x + dx}" y="${y(v)}" width="${bw}" height="${bottom - y(v)}" fill="${colour}"><title>${which} week ${i + 1}: ${num(v)}</title></rect>`;
    body += bar(prev[i], 2, '#b8b8b8', 'Previous period') + bar(cur[i], step / 2, '#0072b2', 'This period');
    body += `<text x="${x + step / 2}" y="${bottom + 22}" text-anchor="middle" font-size="15" ${FONT} fill="#222">${i + 1}</text>`;
  }
  body += `<text x="${left}" y="${h - 6}" font-size="15" ${FONT} fill="#222">Week of the period</text>`;
  body += `<rect x="${w - 420}" y="${h - 22}" width="18" height="18" fill="#0072b2"/><text x="${w - 396}" y="${h - 8}" font-size="15" ${FONT} fill="#222">${esc(labels.current)}</text><rect x="${w - 200}" y="${h - 22}" width="18" height="18" fill="#b8b8b8"/><text x="${w - 176}" y="${h - 8}" font-size="15" ${FONT} fill="#222">${esc(labels.previous)}</text>`;
  return `${svgOpen('trend', w, h, 'Calls per week, this period and the previous one', 'Paired bars per week: blue is this period, grey the previous period. The table below has the numbers.')}${body}</svg>`;
}

/** Outcome shares per tier as 100 % bars. */
export function outcomeSvg(t: PublishedTable): string {
  const palette = ['#0072b2', '#e69f00', '#009e73', '#cc79a7', '#56b4e9', '#d55e00', '#f0e442', '#999999', '#666666'];
  const w = 960;
  const left = 250;
  const bh = 44;
  const rows = t.rows.map((r, i) => ({ r, i, total: t.rowTotals?.[i] ?? null })).filter((x) => x.total !== 0);
  let body = '';
  rows.forEach(({ r, i, total }, k) => {
    const y = 10 + k * (bh + 14);
    body += `<text x="${left - 10}" y="${y + 28}" text-anchor="end" font-size="17" ${FONT} fill="#222">${esc(r.label)}</text>`;
    if (total === null) {
      body += `<rect x="${left}" y="${y}" width="${w - left - 20}" height="${bh}" fill="${HATCH}"><title>${esc(r.label)}: hidden</title></rect>`;
      return;
    }
    let x = left;
    t.cols.forEach((c, j) => {
      const v = t.cells[i]![j]!;
      if (v === 0) return;
      const width = v === null ? 0 : Math.round((10 * (w - left - 20) * v) / total) / 10;
      if (width > 0) body += `<rect x="${x}" y="${y}" width="${width}" height="${bh}" fill="${palette[j % palette.length]}"><title>${esc(r.label)}, ${esc(c.label)}: ${num(v)}</title></rect>`;
      x += width;
    });
    if (x < w - 20) body += `<rect x="${x}" y="${y}" width="${w - 20 - x}" height="${bh}" fill="${HATCH}"><title>${esc(r.label)}: hidden outcomes</title></rect>`;
  });
  const ly = 10 + rows.length * (bh + 14) + 6;
  const legend = t.cols.map((c, j) => `<rect x="${20 + (j % 3) * 310}" y="${ly + Math.floor(j / 3) * 26}" width="18" height="18" fill="${palette[j % palette.length]}"/><text x="${44 + (j % 3) * 310}" y="${ly + 15 + Math.floor(j / 3) * 26}" font-size="15" ${FONT} fill="#222">${esc(c.label.slice(0, 30))}</text>`).join('');
  const h = ly + Math.ceil(t.cols.length / 3) * 26 + 10;
  return `${svgOpen('outcomes', w, h, t.title, 'One bar per tier split by outcome; wider segments are more common outcomes. The table below has the numbers.')}${body}${legend}</svg>`;
}

/** Patrol minutes share against resident-call share per area. */
export function rotationSvg(rows: readonly RotationAreaRow[]): string {
  const shown = rows.filter((r) => r.minutesSharePct !== null).slice(0, 12);
  const w = 960;
  const left = 230;
  const bh = 16;
  const max = Math.max(1, ...shown.flatMap((r) => [r.minutesSharePct ?? 0, r.residentSharePct ?? 0]));
  const sx = (v: number) => Math.round(((w - left - 60) * v * 10) / max) / 10;
  let body = '';
  shown.forEach((r, k) => {
    const y = 10 + k * 46;
    body += `<text x="${left - 10}" y="${y + 24}" text-anchor="end" font-size="17" ${FONT} fill="#222">${esc(r.label)}</text>`;
    body += `<rect x="${left}" y="${y}" width="${sx(r.minutesSharePct!)}" height="${bh}" fill="#0072b2"/><text x="${left + sx(r.minutesSharePct!) + 6}" y="${y + 14}" font-size="14" ${FONT} fill="#222">${r.minutesSharePct} %</text>`;
    body += `<rect x="${left}" y="${y + bh + 2}" width="${sx(r.residentSharePct!)}" height="${bh}" fill="#e69f00"/><text x="${left + sx(r.residentSharePct!) + 6}" y="${y + 2 * bh}" font-size="14" ${FONT} fill="#222">${r.residentSharePct} %</text>`;
  });
  const ly = 10 + shown.length * 46 + 6;
  const legend = `<rect x="20" y="${ly}" width="18" height="18" fill="#0072b2"/><text x="44" y="${ly + 15}" font-size="15" ${FONT} fill="#222">Share of suggested patrol minutes</text><rect x="360" y="${ly}" width="18" height="18" fill="#e69f00"/><text x="384" y="${ly + 15}" font-size="15" ${FONT} fill="#222">Share of resident calls</text>`;
  return `${svgOpen('rotation', w, ly + 30, 'Suggested patrol time by area against resident calls', 'Paired bars per area: blue is the share of suggested patrol minutes, orange the share of calls residents made. The table below has the numbers.')}${body}${legend}</svg>`;
}

export function changeArrow(f: ChangeFigure): string {
  if (f.change === null) return 'not comparable';
  return f.change > 0 ? 'up' : f.change < 0 ? 'down' : 'unchanged';
}
