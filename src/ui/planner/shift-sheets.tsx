import { geoArea, geoMercator, geoPath } from 'd3';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { useEffect, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import type { RotationPlan } from '../../analysis/rotation';
import { rotationStops } from '../../map/rotation-stops';
import { shiftSheets } from '../../export/shift-sheet';
import { updatePlanState } from '../../state/plan-store';

type Areas = FeatureCollection<Polygon | MultiPolygon> | null;

/**
 * Printable shift sheets, one page per unit of the selected shift (or of every day of that shift). A dialog on screen; on paper
 * (print CSS in planner.css) only the sheets print, in black and white: numbered stops and a
 * dashed round on a static map drawn from coordinates (no tiles), so it works offline and copies
 * well. All data text is rendered as text.
 */
export function ShiftSheets({ plan, shiftIndex, areas, areaNames }: { plan: RotationPlan; shiftIndex: number; areas: Areas; areaNames: ReadonlyMap<string, string> }) {
  const shift = plan.shifts[shiftIndex];
  const close = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    close.current?.focus();
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && updatePlanState({ sheetsOpen: false });
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  // One day (what is on screen) or every day of this shift: a week's sheets print in one go.
  const [scope, setScope] = useState<'day' | 'all'>('day');
  if (!shift) return null;
  const indices = scope === 'day' ? [shiftIndex] : plan.shifts.flatMap((x, i) => (x.shiftId === shift.shiftId ? [i] : []));
  return createPortal(
    <div className="shift-sheets" role="dialog" aria-modal="true" aria-labelledby="shift-sheets-title" data-testid="shift-sheets">
      <div className="shift-sheets__bar no-print">
        <h2 id="shift-sheets-title">
          Shift sheets · {scope === 'day' ? `${shift.date} ${shift.label}` : `${shift.label}, ${indices.length} days`}
        </h2>
        <label className="small">
          Print{' '}
          <select value={scope} onChange={(e) => setScope(e.target.value as 'day' | 'all')}>
            <option value="day">this day ({shift.date})</option>
            <option value="all">every day of {shift.label}</option>
          </select>
        </label>
        <button type="button" className="button button--primary" onClick={() => window.print()}>
          Print
        </button>
        <button type="button" className="button button--quiet" ref={close} onClick={() => updatePlanState({ sheetsOpen: false })}>
          Close
        </button>
      </div>
      {indices.map((i) => (
        <ShiftPages key={i} plan={plan} shiftIndex={i} areas={areas} areaNames={areaNames} />
      ))}
    </div>,
    document.body,
  );
}

/** One page per unit of one date × shift. */
function ShiftPages({ plan, shiftIndex, areas, areaNames }: { plan: RotationPlan; shiftIndex: number; areas: Areas; areaNames: ReadonlyMap<string, string> }) {
  const shift = plan.shifts[shiftIndex]!;
  const sheets = shiftSheets({ ...plan, shifts: [shift] });
  const stops = rotationStops(plan, shiftIndex);
  const places = new Map(plan.places.map((p) => [p.id, p]));
  return (
    <>
      {sheets.length === 0 ? <p className="sheet">No units on {shift.date} {shift.label}.</p> : null}
      {sheets.map((sheet, unitIndex) => {
        const unit = shift.units[unitIndex]!;
        const mine = stops.filter((s) => s.unitId === unit.unitId);
        return (
          <article key={`${sheet.date}-${sheet.unitId}`} className="sheet" data-testid="shift-sheet" aria-label={sheet.title}>
            <header className="sheet__head">
              <h3>{sheet.title}</h3>
              <p>
                Unit <strong>{sheet.unitId}</strong> · {sheet.date} · shift {sheet.shift} · order seed {sheet.seed}
              </p>
            </header>
            <div className="sheet__top">
              <SheetMap stops={mine.map((s) => ({ number: s.number, lon: s.position[0], lat: s.position[1] }))} areas={areas} label={`Map of the ${mine.length} places of ${sheet.unitId} on ${sheet.date} ${sheet.shift}`} />
              <ol className="sheet__places">
                {mine.map((s) => {
                  const p = places.get(s.placeId)!;
                  return (
                    <li key={s.placeId}>
                      <strong>{s.name}</strong>
                      {p.areaId ? ` (${areaNames.get(p.areaId) ?? `area ${p.areaId}`})` : ''}
                      <br />
                      <span className="sheet__reason">{p.why.find((w) => /calls in the last/.test(w)) ?? ''}</span>
                      {p.giZ !== null ? <span className="sheet__reason"> Gi* z {p.giZ.toFixed(1)}{p.giBin >= 2 ? ', significant hot spot' : ''}.</span> : null}
                      {p.action === 'patrol-and-refer' ? <span className="sheet__refer"> Referral: {(p.referralShare * 100).toFixed(0)} % of calls here are Level 1 referral matters; tell outreach / social services.</span> : null}
                    </li>
                  );
                })}
              </ol>
            </div>
            <table className="sheet__stops">
              <caption>Stops in order (answer calls first, then resume the round)</caption>
              <thead>
                <tr>
                  <th scope="col">Arrive</th>
                  <th scope="col">Leave</th>
                  <th scope="col">No.</th>
                  <th scope="col">Place</th>
                  <th scope="col">Action</th>
                  <th scope="col">Done</th>
                </tr>
              </thead>
              <tbody>
                {sheet.stops.map((st, i) => {
                  const v = unit.schedule.visits[i]!;
                  return (
                    <tr key={`${st.time}-${v.placeId}`}>
                      <td>{st.time}</td>
                      <td>{st.until}</td>
                      <td className="num">{unit.placeIds.indexOf(v.placeId) + 1}</td>
                      <td>{st.place}</td>
                      <td>{st.action}</td>
                      <td className="sheet__tick" aria-label="done box">☐</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
            {sheet.warnings.map((w) => (
              <p key={w} className="sheet__warning">
                Note: {w}
              </p>
            ))}
            <p className="sheet__footer">{sheet.footer}</p>
          </article>
        );
      })}
    </>
  );
}

/** A small static map: area outlines around the stops, numbered stops and the dashed round. */
function SheetMap({ stops, areas, label }: { stops: { number: number; lon: number; lat: number }[]; areas: Areas; label: string }) {
  const size = 240;
  if (stops.length === 0) return null;
  const lons = stops.map((s) => s.lon);
  const lats = stops.map((s) => s.lat);
  // at least ~600 m across, so a single stop still shows its surroundings
  const pad = 0.004;
  const box = { type: 'MultiPoint' as const, coordinates: [[Math.min(...lons) - pad, Math.min(...lats) - pad], [Math.max(...lons) + pad, Math.max(...lats) + pad]] };
  const projection = geoMercator().fitExtent([[12, 12], [size - 12, size - 12]], box);
  const path = geoPath(projection);
  const xy = stops.map((s) => projection([s.lon, s.lat]) ?? [0, 0]);
  // scale bar: the longest round number of metres that fits in a quarter of the frame
  const lat0 = lats[0]!;
  const pxPerMeter = ((projection([lons[0]! + 1 / (111_320 * Math.cos((lat0 * Math.PI) / 180)), lat0]) ?? [0, 0])[0] - (projection([lons[0]!, lat0]) ?? [0, 0])[0]);
  const barMeters = [50, 100, 200, 250, 500, 1000, 2000, 5000].filter((m) => m * pxPerMeter <= size / 4).pop() ?? 50;
  const barPx = barMeters * pxPerMeter;
  return (
    <svg className="sheet__map" viewBox={`0 0 ${size} ${size}`} width={size} height={size} role="img" aria-label={label}>
      <defs>
        <clipPath id={`clip-${label.replace(/\W+/g, '-')}`}>
          <rect width={size} height={size} />
        </clipPath>
      </defs>
      <rect width={size} height={size} fill="#fff" stroke="#000" />
      <g clipPath={`url(#clip-${label.replace(/\W+/g, '-')})`}>
        {(areas?.features ?? []).map((f, i) => (
          <path key={String(f.id ?? i)} d={path(sphericalWinding(f)) ?? ''} fill="none" stroke="#888" strokeWidth={0.8} />
        ))}
        {xy.length > 1 ? <polyline points={[...xy, xy[0]!].map((p) => p.join(',')).join(' ')} fill="none" stroke="#000" strokeWidth={1.5} strokeDasharray="5 3" /> : null}
        {xy.map((p, i) => (
          <g key={stops[i]!.number} transform={`translate(${p[0]},${p[1]})`}>
            <circle r={9} fill="#fff" stroke="#000" strokeWidth={2} />
            <text textAnchor="middle" dy="0.35em" fontSize={11} fontWeight={700}>
              {stops[i]!.number}
            </text>
          </g>
        ))}
      </g>
      <line x1={8} x2={8 + barPx} y1={size - 8} y2={size - 8} stroke="#000" strokeWidth={2} />
      <text x={8} y={size - 12} fontSize={9}>
        {barMeters} m · north up
      </text>
    </svg>
  );
}

/**
 * d3-geo reads polygons spherically: a ring wound counter-clockwise (GeoJSON RFC 7946, what most
 * area files use) is the whole globe minus the area, and would draw the world's outline. Reverse
 * the rings of such a polygon so d3 sees the small area.
 */
function sphericalWinding(f: Feature<Polygon | MultiPolygon>): Feature<Polygon | MultiPolygon> {
  if (geoArea(f) <= 2 * Math.PI) return f;
  const g = f.geometry;
  const geometry: Polygon | MultiPolygon =
    g.type === 'Polygon' ? { type: 'Polygon', coordinates: g.coordinates.map((r) => r.slice().reverse()) } : { type: 'MultiPolygon', coordinates: g.coordinates.map((p) => p.map((r) => r.slice().reverse())) };
  return { ...f, geometry };
}
