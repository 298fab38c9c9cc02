import type { QualityReport } from '../../src/data/types';

const fmt = (n: number) => n.toLocaleString('en-US');

/** The CLI's JSON: the fields the issue names first, then the full report for tools. */
export function qualityJson(report: QualityReport, extra: { areas: number; stops: number }): Record<string, unknown> {
  const m = report.mapping;
  const mapping: Record<string, string> = { ...(m.columns as Record<string, string>) };
  const loc = m.location;
  if (loc.kind === 'lonlat') Object.assign(mapping, { lon: loc.lon, lat: loc.lat });
  else if (loc.kind === 'wkt') Object.assign(mapping, { lon: loc.column, lat: loc.column });
  else if (loc.kind === 'projected') Object.assign(mapping, { lon: loc.x, lat: loc.y });
  return {
    rows: report.rows,
    timeRange: report.timeRange,
    timeZone: report.timeZone,
    mapping,
    location: loc,
    timestampFormats: m.timestampFormats,
    // `missing` in the summary means "no usable point": absent or the 0,0 sentinel; the parts follow.
    geo: { ...report.geo, missing: report.geo.missing + report.geo.zero, missingParts: { absent: report.geo.missing, zero: report.geo.zero } },
    // The same classes counted in rows (before de-duplication), as source READMEs count them.
    ...(report.geoRows
      ? { geoRows: { ...report.geoRows, missing: report.geoRows.missing + report.geoRows.zero, missingParts: { absent: report.geoRows.missing, zero: report.geoRows.zero } } }
      : {}),
    timestamps: report.timestamps,
    files: report.files.map((f) => ({
      file: f.file,
      format: f.format,
      encoding: f.encoding,
      inputRows: f.inputRows,
      stagedRows: f.stagedRows,
      rejected: f.rejected.length,
      warnings: f.warnings,
    })),
    areasLoaded: extra.areas,
    stopsLoaded: extra.stops,
  };
}

/**
 * "202 calls (237 rows) at 0,0": calls are what the dashboard counts, rows what the source
 * README and the records unit count; both are printed so neither reader is misled.
 */
function locations(r: QualityReport): string {
  const g = r.geo;
  const rows = r.geoRows;
  const both = (calls: number, n: number | undefined) => {
    if (n === undefined) return fmt(calls);
    if (calls === 0 && n === 0) return '0';
    return `${fmt(calls)} ${calls === 1 ? 'call' : 'calls'} (${fmt(n)} ${n === 1 ? 'row' : 'rows'})`;
  };
  return [
    `${both(g.valid, rows?.valid)} usable`,
    `${both(g.missing, rows?.missing)} missing`,
    `${both(g.zero, rows?.zero)} at 0,0`,
    `${both(g.outside, rows?.outside)} outside areas`,
    `${both(g.swapped, rows?.swapped)} swapped`,
    `${both(g.outOfRange, rows?.outOfRange)} out of range`,
  ].join(', ');
}

export function formatQualityReport(r: QualityReport): string {
  const lines = [
    'Callsight data-quality report',
    `  rows in        ${fmt(r.rows.input)}`,
    `  loaded         ${fmt(r.rows.loaded)}`,
    `  rejected       ${fmt(r.rows.rejected)}`,
    `  duplicate ids  ${fmt(r.rows.duplicates)} (extra rows; calls are counted once)`,
    `  time span      ${r.timeRange.start ?? '–'} … ${r.timeRange.end ?? '–'} (${r.timeZone}, wall clock)`,
    `  timestamps     ${fmt(r.timestamps.unparseable)} unparseable, ${fmt(r.timestamps.outOfRange)} out of range`,
    `  locations      ${locations(r)}`,
  ];
  for (const f of r.files) {
    lines.push(`  file ${f.file}: ${fmt(f.inputRows)} rows, ${fmt(f.rejected.length)} rejected, ${f.encoding}${f.warnings.length ? `; ${f.warnings.join('; ')}` : ''}`);
    for (const rej of f.rejected.slice(0, 5)) lines.push(`    line ${fmt(rej.line)}: ${rej.reason}`);
    if (f.rejected.length > 5) lines.push(`    … ${fmt(f.rejected.length - 5)} more`);
  }
  return `${lines.join('\n')}\n`;
}
