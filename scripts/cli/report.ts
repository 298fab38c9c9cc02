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

export function formatQualityReport(r: QualityReport): string {
  const lines = [
    'Callsight data-quality report',
    `  rows in        ${fmt(r.rows.input)}`,
    `  loaded         ${fmt(r.rows.loaded)}`,
    `  rejected       ${fmt(r.rows.rejected)}`,
    `  duplicate ids  ${fmt(r.rows.duplicates)} (extra rows; calls are counted once)`,
    `  time span      ${r.timeRange.start ?? '–'} … ${r.timeRange.end ?? '–'} (${r.timeZone}, wall clock)`,
    `  timestamps     ${fmt(r.timestamps.unparseable)} unparseable, ${fmt(r.timestamps.outOfRange)} out of range`,
    `  locations      ${fmt(r.geo.valid)} usable, ${fmt(r.geo.missing)} missing, ${fmt(r.geo.zero)} at 0,0, ${fmt(r.geo.outside)} outside areas, ${fmt(r.geo.swapped)} swapped, ${fmt(r.geo.outOfRange)} out of range`,
  ];
  for (const f of r.files) {
    lines.push(`  file ${f.file}: ${fmt(f.inputRows)} rows, ${fmt(f.rejected.length)} rejected, ${f.encoding}${f.warnings.length ? `; ${f.warnings.join('; ')}` : ''}`);
    for (const rej of f.rejected.slice(0, 5)) lines.push(`    line ${fmt(rej.line)}: ${rej.reason}`);
    if (f.rejected.length > 5) lines.push(`    … ${fmt(f.rejected.length - 5)} more`);
  }
  return `${lines.join('\n')}\n`;
}
