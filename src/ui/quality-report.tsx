import { monthLabel } from '../data/archive-range';
import type { QualityReport, RejectedRow } from '../data/types';
import { formatBytes, formatCount, formatPercent, formatWallClock } from './format';
import { RestoredNote } from './cache-note';
import { RejectsTable } from './rejects-table';

interface Props {
  report: QualityReport | null;
  /** calls drawn on the map and distinct calls in the table (geo figures count distinct calls) */
  mapped: number;
  distinctCalls: number;
  rejected: RejectedRow[];
  onDownloadRejects: () => void;
  headingRef?: React.Ref<HTMLHeadingElement>;
}

/** Rows that cannot be placed on the map (kept in the table, flagged, but not drawn). */
export function unusableLocations(geo: QualityReport['geo']): number {
  return geo.missing + geo.zero + geo.outOfRange;
}

/**
 * The always-visible data-quality report: what came in, what loaded, what did not and why.
 * Analysts quote these numbers to the records unit, so every figure is a plain count.
 */
export function QualityReportPanel({ report, mapped, distinctCalls, rejected, onDownloadRejects, headingRef }: Props) {
  if (!report) {
    return (
      <section className="panel-section" aria-labelledby="quality-heading">
        <h2 id="quality-heading" ref={headingRef} tabIndex={-1}>
          Data quality
        </h2>
        <p className="muted">Load a calls file to see what was read, loaded and rejected.</p>
      </section>
    );
  }
  const { rows, geo, timestamps, timeRange } = report;
  return (
    <section className="panel-section" aria-labelledby="quality-heading" data-testid="quality-report">
      <h2 id="quality-heading" ref={headingRef} tabIndex={-1}>
        Data quality
      </h2>
      <RestoredNote variant="panel" />
      <dl className="stat-grid">
        <Stat label="Input rows" value={rows.input} testId="q-input" />
        <Stat label="Loaded" value={rows.loaded} testId="q-loaded" />
        <Stat label="Rejected" value={rows.rejected} testId="q-rejected" tone={rows.rejected ? 'warn' : undefined} />
        <Stat label="Duplicates" value={rows.duplicates} testId="q-duplicates" note="same call id, counted once" />
      </dl>

      <h3>Time</h3>
      <table className="kv">
        <tbody>
          <tr>
            <th scope="row">Span</th>
            <td data-testid="q-span">
              {formatWallClock(timeRange.start)} → {formatWallClock(timeRange.end)}
            </td>
          </tr>
          {report.archive ? (
            <tr>
              <th scope="row">Archive range</th>
              <td data-testid="q-archive-range">
                {monthLabel(report.archive.from)} → {monthLabel(report.archive.to)}{' '}
                <span className="muted">
                  ({report.archive.months} of {report.archive.monthsInArchive} months, {formatCount(report.archive.manifestRows)} of {formatCount(report.archive.archiveRows)} rows in {report.archive.name})
                </span>
              </td>
            </tr>
          ) : null}
          <tr>
            <th scope="row">Time zone</th>
            <td data-testid="q-timezone">{report.timeZone}</td>
          </tr>
          <tr>
            <th scope="row">Unparseable timestamps</th>
            <td className="num">{formatCount(timestamps.unparseable)}</td>
          </tr>
          <tr>
            <th scope="row">Timestamps out of range</th>
            <td className="num">{formatCount(timestamps.outOfRange)}</td>
          </tr>
        </tbody>
      </table>

      <h3>Location, of {formatCount(distinctCalls)} distinct calls</h3>
      <table className="kv">
        <tbody>
          <tr>
            <th scope="row">On the map</th>
            <td className="num" data-testid="q-geo-mapped">
              {formatCount(mapped)} <span className="muted">({formatPercent(mapped, distinctCalls)})</span>
            </td>
          </tr>
          <tr>
            <th scope="row">Without usable location</th>
            <td className="num" data-testid="q-geo-unusable">
              <CallsAndRows calls={unusableLocations(geo)} rows={report.geoRows ? unusableLocations({ ...geo, ...report.geoRows }) : undefined} />
            </td>
          </tr>
          <GeoRow label="missing" value={geo.missing} rows={report.geoRows?.missing} />
          <GeoRow label="at 0,0 / sentinel" value={geo.zero} rows={report.geoRows?.zero} />
          <GeoRow label="impossible coordinates" value={geo.outOfRange} rows={report.geoRows?.outOfRange} />
          <tr>
            <th scope="row">Outside the study areas</th>
            <td className="num">{formatCount(geo.outside)}</td>
          </tr>
          <tr>
            <th scope="row">Lat/lon swapped (fixed)</th>
            <td className="num">{formatCount(geo.swapped)}</td>
          </tr>
        </tbody>
      </table>

      <h3>Files</h3>
      <ul className="file-list">
        {report.files.map((f) => (
          <li key={f.file}>
            <span className="file-list__name">{f.file}</span>
            <span className="muted">
              {f.format.toUpperCase()} · {formatBytes(f.bytes)} · {f.encoding} · {formatCount(f.inputRows)} rows
            </span>
            {f.warnings.length ? (
              <ul className="file-list__warnings">
                {f.warnings.map((w) => (
                  <li key={w}>{w}</li>
                ))}
              </ul>
            ) : null}
          </li>
        ))}
      </ul>

      <div className="section-head">
        <h3>Rejected rows</h3>
        <button type="button" className="button button--quiet" onClick={onDownloadRejects} disabled={rejected.length === 0}>
          Download rejects CSV
        </button>
      </div>
      <RejectsTable rejected={rejected} />
    </section>
  );
}

function Stat({ label, value, testId, note, tone }: { label: string; value: number; testId: string; note?: string; tone?: 'warn' }) {
  return (
    <div className={`stat${tone ? ` stat--${tone}` : ''}`} title={note}>
      <dt>{label}</dt>
      <dd data-testid={testId}>{formatCount(value)}</dd>
    </div>
  );
}

function GeoRow({ label, value, rows }: { label: string; value: number; rows?: number | undefined }) {
  return (
    <tr className="kv__sub">
      <th scope="row">{label}</th>
      <td className="num">
        <CallsAndRows calls={value} rows={rows} />
      </td>
    </tr>
  );
}

/**
 * Source READMEs and records units count rows; the map counts distinct calls. Both are shown
 * whenever they differ, so "237 rows at 0,0" in a README matches the panel.
 */
function CallsAndRows({ calls, rows }: { calls: number; rows?: number | undefined }) {
  if (rows === undefined || rows === calls) return <>{formatCount(calls)}</>;
  return (
    <>
      {formatCount(calls)} {calls === 1 ? 'call' : 'calls'} <span className="muted">({formatCount(rows)} rows)</span>
    </>
  );
}

