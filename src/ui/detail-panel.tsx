import { useEffect, useMemo, useState } from 'react';
import type { Hub } from '../analysis/hubs';
import { haversineMeters } from '../analysis/local-projection';
import { type PlaceClause, type PlaceDetail, placeDetail } from '../data/queries/detail';
import { WEEKDAY_NAMES } from '../state/clauses';
import { type Focus, getSelection, updateDashboard, useDashboard } from '../state/dashboard-store';
import { getDb } from '../state/db';
import { GI_CLASS_LABELS } from '../map/layers/hotspot-layer';
import { countNoun, formatCount } from './format';

/** Click-through detail for an area, a hot-spot cell or a hub: the filtered calls inside it. */
export function DetailPanel({ hubs }: { hubs: Hub[] }) {
  const { focus, clauses } = useDashboard();
  // Every active clause, so the detail counts the calls the headline counts. The selection is
  // mutable; its clauses snapshot is what changes.
  // biome-ignore lint/correctness/useExhaustiveDependencies: clauses is the selection's change signal
  const where = useMemo(() => getSelection().predicate(null), [clauses]);
  const [detail, setDetail] = useState<PlaceDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!focus || focus.kind === 'hub') {
      setDetail(null);
      return;
    }
    let stale = false;
    const place: PlaceClause =
      focus.kind === 'area'
        ? { kind: 'area', id: focus.id }
        : focus.kind === 'cluster'
          ? { kind: 'calls', ids: focus.cluster.memberIds }
          : { kind: 'bounds', bounds: focus.cell.bounds };
    getDb()
      .then((db) => placeDetail(db, where, place))
      .then(
        (d) => {
          if (stale) return;
          setDetail(d);
          setError(null);
        },
        (e: unknown) => {
          if (!stale) setError(`Details could not be loaded: ${e instanceof Error ? e.message : String(e)}.`);
        },
      );
    return () => {
      stale = true;
    };
  }, [focus, where]);

  if (!focus) {
    return (
      <section className="panel-section" aria-labelledby="detail-heading">
        <h2 id="detail-heading">Details</h2>
        <p className="muted">Click an area or a hot-spot cell on the map to see its calls by hour, weekday, type and block.</p>
      </section>
    );
  }
  const centre = focusCentre(focus);
  const nearest = centre ? nearestHub(hubs, centre) : null;
  return (
    <section className="panel-section" aria-labelledby="detail-heading" data-testid="detail-panel">
      <div className="section-head">
        <h2 id="detail-heading">{focusTitle(focus)}</h2>
        <button type="button" className="button button--small" onClick={() => updateDashboard({ focus: null })}>
          Close
        </button>
      </div>
      {focus.kind === 'cell' ? <CellStats focus={focus} /> : null}
      {focus.kind === 'cluster' ? <ClusterFacts focus={focus} /> : null}
      {nearest && focus.kind !== 'cluster' ? (
        <p className="small">
          Nearest transit hub: <strong>{nearest.hub.name}</strong>, {formatCount(Math.round(nearest.meters))} m ({nearest.hub.routeCount} routes
          {nearest.hub.inferredFromShapes ? ', inferred from route shapes' : ''})
        </p>
      ) : null}
      {error ? <p className="field-error">{error}</p> : null}
      {detail ? <DetailBody d={detail} /> : focus.kind !== 'hub' ? <p className="muted">Loading…</p> : null}
    </section>
  );
}

const WEEKDAY_SHORT = WEEKDAY_NAMES.map((d) => d.slice(0, 3));

function focusTitle(f: Focus): string {
  if (f.kind === 'area') return f.name;
  if (f.kind === 'hub') return `Transit hub: ${f.name}`;
  if (f.kind === 'cluster') return `Repeat-report cluster (${f.cluster.windowLabel})`;
  return f.cell.bin > 0 ? 'Hot-spot cell' : f.cell.bin < 0 ? 'Cold-spot cell' : 'Grid cell';
}

function focusCentre(f: Focus): [number, number] | null {
  if (f.kind === 'cell') return [(f.cell.bounds[0] + f.cell.bounds[2]) / 2, (f.cell.bounds[1] + f.cell.bounds[3]) / 2];
  if (f.kind === 'hub') return [f.lon, f.lat];
  if (f.kind === 'cluster') return f.cluster.centroid;
  return null;
}

export function nearestHub(hubs: readonly Hub[], [lon, lat]: [number, number]): { hub: Hub; meters: number } | null {
  let best: { hub: Hub; meters: number } | null = null;
  for (const hub of hubs) {
    const meters = haversineMeters(lon, lat, hub.lon, hub.lat);
    if (!best || meters < best.meters) best = { hub, meters };
  }
  return best;
}

function CellStats({ focus }: { focus: Extract<Focus, { kind: 'cell' }> }) {
  const c = focus.cell;
  return (
    <table className="kv" data-testid="cell-stats">
      <tbody>
        <tr>
          <th scope="row">Class</th>
          <td>{GI_CLASS_LABELS[String(c.bin)] ?? 'Not significant'}</td>
        </tr>
        <tr>
          <th scope="row">Calls in cell</th>
          <td className="num">{formatCount(c.n)}</td>
        </tr>
        <tr>
          <th scope="row">Gi* z</th>
          <td className="num">{c.z.toFixed(2)}</td>
        </tr>
        <tr>
          <th scope="row">p (two-sided)</th>
          <td className="num">{formatP(c.p)}</td>
        </tr>
        <tr>
          <th scope="row">q (Benjamini–Hochberg)</th>
          <td className="num">{formatP(c.q)}</td>
        </tr>
      </tbody>
    </table>
  );
}

function ClusterFacts({ focus }: { focus: Extract<Focus, { kind: 'cluster' }> }) {
  const c = focus.cluster;
  const hub = c.nearestHub;
  return (
    <table className="kv" data-testid="cluster-facts">
      <tbody>
        <tr>
          <th scope="row">Calls (core)</th>
          <td className="num">
            {formatCount(c.calls)} ({formatCount(c.coreCalls)})
          </td>
        </tr>
        <tr>
          <th scope="row">Distinct nights</th>
          <td className="num">{formatCount(c.distinctNights)}</td>
        </tr>
        <tr>
          <th scope="row">First – last</th>
          <td className="num">
            {c.firstDate} – {c.lastDate}
          </td>
        </tr>
        <tr>
          <th scope="row">Span</th>
          <td className="num">{formatCount(Math.round(c.spanMeters))} m</td>
        </tr>
        <tr>
          <th scope="row">Peak hours</th>
          <td>{c.peakHours.map((h) => `${String(h.value).padStart(2, '0')}:00 (${h.calls})`).join(', ')}</td>
        </tr>
        <tr>
          <th scope="row">Addresses</th>
          <td>{c.addresses.slice(0, 5).map((a) => `${a.value} (${a.calls})`).join('; ')}</td>
        </tr>
        <tr>
          <th scope="row">Nearest hub</th>
          <td>{hub ? `${hub.name ?? hub.id}, ${formatCount(Math.round(hub.distanceMeters))} m${c.nearHub ? ' (near)' : ''}` : 'no transit loaded'}</td>
        </tr>
      </tbody>
    </table>
  );
}

function formatP(p: number): string {
  if (!Number.isFinite(p)) return '–';
  return p < 0.001 ? '< 0.001' : p.toFixed(3);
}

function DetailBody({ d }: { d: PlaceDetail }) {
  const maxH = Math.max(1, ...d.byHour);
  const maxD = Math.max(1, ...d.byDow);
  const maxW = Math.max(1, ...d.weeks.map((w) => w.n));
  return (
    <>
      <p>
        <strong data-testid="detail-total">{formatCount(d.total)}</strong> {d.total === 1 ? 'call' : 'calls'} matching the filters, on {countNoun(d.nights, 'distinct night')}{' '}
        <span className="muted small">(a call before 06:00 counts for the night before)</span>.
      </p>
      <h3>By hour</h3>
      <MiniBars values={d.byHour} max={maxH} labels={d.byHour.map((_, h) => String(h).padStart(2, '0'))} label="Calls by hour of day" />
      <h3>By weekday</h3>
      <MiniBars values={d.byDow} max={maxD} labels={WEEKDAY_SHORT} label="Calls by weekday" />
      <h3>Weekly timeline</h3>
      <MiniBars values={d.weeks.map((w) => w.n)} max={maxW} labels={d.weeks.map((w) => w.week)} label="Calls per week" />
      <h3>Top types</h3>
      <CountList items={d.types} testId="detail-types" />
      <h3>Block addresses</h3>
      <CountList items={d.blocks} testId="detail-blocks" />
    </>
  );
}

function MiniBars({ values, max, labels, label }: { values: number[]; max: number; labels: readonly string[]; label: string }) {
  const w = Math.max(3, Math.floor(360 / Math.max(1, values.length)));
  return (
    <svg width={w * values.length} height={44} role="img" aria-label={`${label}: ${values.map((v, i) => `${labels[i]} ${v}`).join(', ')}`}>
      {values.map((v, i) => (
        <rect key={labels[i] ?? i} x={i * w} y={40 - (36 * v) / max} width={w - 1} height={(36 * v) / max} fill="#0b5cad">
          <title>{`${labels[i]}: ${v}`}</title>
        </rect>
      ))}
      <line x1={0} x2={w * values.length} y1={40.5} y2={40.5} stroke="#8a94a3" />
    </svg>
  );
}

function CountList({ items, testId }: { items: { label: string; n: number }[]; testId: string }) {
  return (
    <table className="kv" data-testid={testId}>
      <tbody>
        {items.map((t) => (
          <tr key={t.label}>
            <th scope="row">{t.label}</th>
            <td className="num">{formatCount(t.n)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
