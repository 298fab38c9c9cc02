import type { PlannedPlace, RotationPlan } from '../../analysis/rotation';
import { rotationStops, unitColour } from '../../map/rotation-stops';
import { selectPlace, selectShift } from '../../state/plan-store';
import { VisitTimeline } from './visit-timeline';

const pct = (v: number) => `${(v * 100).toFixed(1)} %`;
const ACTION: Record<PlannedPlace['action'], string> = { patrol: 'Patrol', 'patrol-and-refer': 'Patrol and refer to outreach', refer: 'Refer to outreach instead of patrol' };

/** The plan: shift selector, each unit's places in visit order, the timeline, the selected place's reasons, referrals and guardrails. */
export function PlanResults({ plan, shiftIndex, selectedPlaceId, areaNames }: { plan: RotationPlan; shiftIndex: number; selectedPlaceId: string | null; areaNames: ReadonlyMap<string, string> }) {
  const shift = plan.shifts[shiftIndex];
  const stops = rotationStops(plan, shiftIndex);
  const places = new Map(plan.places.map((p) => [p.id, p]));
  const selected = selectedPlaceId ? places.get(selectedPlaceId) : undefined;
  const referrals = plan.places.filter((p) => p.action !== 'patrol').sort((a, b) => b.calls - a.calls);
  const area = (id: string | null) => (id ? (areaNames.get(id) ?? id) : 'no area');
  return (
    <div className="plan-results">
      <div className="plan-shift-select">
        <label htmlFor="plan-shift">Shift</label>
        <select id="plan-shift" value={shiftIndex} onChange={(e) => selectShift(Number(e.target.value))}>
          {plan.shifts.map((s, i) => (
            <option key={`${s.date}-${s.shiftId}`} value={i}>
              {s.date} {s.label} ({s.units.length} unit{s.units.length === 1 ? '' : 's'})
            </option>
          ))}
        </select>
      </div>
      {shift ? (
        <section aria-label="Units and places in visit order" data-testid="plan-units">
          {shift.units.length === 0 ? <p className="small muted">No units in this shift: set units for {shift.label} above.</p> : null}
          {shift.units.map((u, ui) => (
            <div key={u.unitId} className="plan-unit">
              <h4>
                <span className="swatch" style={{ background: unitColour(ui) }} aria-hidden="true" /> {u.unitId}
                {u.district ? <span className="muted small"> · district {u.district}</span> : null}
              </h4>
              <p className="small muted plan-unit__meta">
                One round {Math.round(u.schedule.roundMinutes)} min (stops and driving), starting every {plan.settings.revisitMinutes} min; order seed {u.schedule.seed}
              </p>
              <ol className="plan-stops">
                {stops
                  .filter((s) => s.unitId === u.unitId)
                  .map((s) => {
                    const p = places.get(s.placeId)!;
                    const dose = u.schedule.dosage.find((d) => d.placeId === s.placeId);
                    return (
                      <li key={s.placeId} data-place-id={s.placeId} className={s.placeId === selectedPlaceId ? 'is-selected' : undefined}>
                        <button type="button" className="plan-stop" aria-pressed={s.placeId === selectedPlaceId} onClick={() => selectPlace(s.placeId)}>
                          <span className="plan-stop__name">{s.name}</span>
                          <span className="small muted">
                            {' '}
                            {area(p.areaId)} · {ACTION[p.action]}
                          </span>
                        </button>
                        <span className="small plan-stop__times">
                          {dose ? `${dose.visits} visits, ${dose.presenceMinutes} min: ` : ''}
                          {s.windows.join(', ')}
                        </span>
                      </li>
                    );
                  })}
              </ol>
              {u.schedule.warnings.map((w) => (
                <p key={w} className="small plan-warning">
                  {w}
                </p>
              ))}
            </div>
          ))}
        </section>
      ) : null}
      <EvidenceWindow plan={plan} />
      <VisitTimeline plan={plan} shiftIndex={shiftIndex} />
      {selected ? <PlaceExplanation place={selected} plan={plan} areaName={area(selected.areaId)} /> : <p className="small muted">Choose a place in the list or on the map to see why it is in the plan.</p>}
      <section aria-labelledby="plan-referrals">
        <h4 id="plan-referrals">Social-services referral suggestions ({referrals.length})</h4>
        {referrals.length === 0 ? (
          <p className="small muted">No candidate place has mostly Level 1 referral calls (loitering, homelessness, noise, welfare) under the rule.</p>
        ) : (
          <ul className="plan-referrals" data-testid="plan-referrals">
            {referrals.slice(0, 12).map((p) => (
              <li key={p.id}>
                <button type="button" className="plan-stop" onClick={() => selectPlace(p.id)}>
                  <span className="plan-stop__name">{p.address ?? p.label}</span>
                </button>{' '}
                <span className="small">
                  {ACTION[p.action]}: {pct(p.referralShare)} of {p.referralCalls ?? p.calls} calls {referralHours(plan, p)}are referral matters; mostly {p.topTypes.map((t) => t.type).join(', ')}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
      <Guardrails plan={plan} areaName={area} />
      <details className="small">
        <summary>About this plan</summary>
        <p>
          Evidence {plan.evidence.start.slice(0, 10)} to {plan.evidence.end.slice(0, 10)} ({decay(plan.settings.halfLifeDays)}): {plan.evidence.calls.toLocaleString('en-US')} calls in {plan.evidence.cells.toLocaleString('en-US')} cells of {plan.settings.cellMeters} m; {plan.places.length} candidate places.
          Stops of {plan.settings.dwellMinutes} min, each place revisited about every {plan.settings.revisitMinutes} min (Koper curve; Sacramento trial).
        </p>
        <ul>
          {plan.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      </details>
    </div>
  );
}

/** "in the 23:00–07:00 shift " when a shift's hours decided the referral, else nothing (the whole day did). */
function referralHours(plan: RotationPlan, p: PlannedPlace): string {
  const sh = p.referralShiftId ? plan.settings.shifts.find((s) => s.id === p.referralShiftId) : undefined;
  return sh ? `in the ${sh.label} shift ` : '';
}

const decay = (halfLifeDays: number) => (Number.isFinite(halfLifeDays) ? `half-life ${halfLifeDays} days` : 'no recency decay');

/** Which evidence window the plan used and, when the data chose it, every candidate's score. */
function EvidenceWindow({ plan }: { plan: RotationPlan }) {
  const c = plan.evidence.choice;
  const used = `${plan.settings.evidenceDays} days, ${decay(plan.settings.halfLifeDays)}`;
  const isUsed = (x: { evidenceDays: number; halfLifeDays: number }) => x.evidenceDays === plan.settings.evidenceDays && x.halfLifeDays === plan.settings.halfLifeDays;
  return (
    <section aria-labelledby="plan-evidence-window" data-testid="plan-evidence-window">
      <h4 id="plan-evidence-window">Evidence window</h4>
      {!c ? (
        <p className="small">{used}, set by hand.</p>
      ) : c.fallback ? (
        <p className="small">{used}: the default, because fewer than two complete weeks before the plan could be scored to choose among the four windows.</p>
      ) : (
        <table className="plan-table">
          <caption>
            {used}, chosen from the data: the best mean PAI at {c.selectCoverage * 100} % of the area over the {c.weeks} complete weeks before the plan, each week planned from the days before it
          </caption>
          <thead>
            <tr>
              <th scope="col">Window</th>
              <th scope="col">Mean PAI</th>
              <th scope="col">Used</th>
            </tr>
          </thead>
          <tbody>
            {c.scores.map((x) => (
              <tr key={`${x.evidenceDays}/${x.halfLifeDays}`} className={isUsed(x) ? 'is-selected' : undefined}>
                <th scope="row">
                  {x.evidenceDays} days, {decay(x.halfLifeDays)}
                </th>
                <td className="num">{Number.isFinite(x.pai) ? x.pai.toFixed(2) : 'not scored'}</td>
                <td>{isUsed(x) ? 'yes' : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function PlaceExplanation({ place, plan, areaName }: { place: PlannedPlace; plan: RotationPlan; areaName: string }) {
  return (
    <section className="plan-why" aria-labelledby="plan-why-title" data-testid="plan-why">
      <h4 id="plan-why-title">
        Why {place.address ?? place.label}
        <span className="muted small"> · {areaName}</span>
      </h4>
      <dl className="plan-facts">
        <dt>Calls in evidence window</dt>
        <dd>
          {place.calls} ({place.recentCalls} in the last {plan.settings.recentDays} days)
        </dd>
        <dt>Gi* z / FDR class</dt>
        <dd>{place.giZ === null ? 'not tested' : `${place.giZ.toFixed(2)} · ${place.giBin >= 3 ? 'hot spot, 99 %' : place.giBin === 2 ? 'hot spot, 95 %' : place.giBin === 1 ? 'hot at 90 % only' : 'not significant'}`}</dd>
        <dt>Trend</dt>
        <dd>{place.trend ? place.trend.replace(/-/g, ' ') : 'not classified'}</dd>
        <dt>Expected calls per shift</dt>
        <dd>
          {Object.entries(place.expectedPerShift)
            .map(([id, v]) => `${id}: ${v.toFixed(2)}`)
            .join(' · ')}
        </dd>
        <dt>Nearest transit hub</dt>
        <dd>{place.hub ? `${place.hub.name} (hub surroundings)` : place.nearestHub ? `${place.nearestHub.name}, ${place.nearestHub.distanceMeters} m` : 'none loaded'}</dd>
      </dl>
      <ul className="plan-why__list">
        {place.why.map((w) => (
          <li key={w}>{w}</li>
        ))}
      </ul>
    </section>
  );
}

function Guardrails({ plan, areaName }: { plan: RotationPlan; areaName: (id: string | null) => string }) {
  const g = plan.guardrails;
  // Every patrolled area, then the areas residents call most that get no patrol (the rest are counted).
  const patrolled = g.areas.filter((a) => a.patrolMinutes > 0);
  const unpatrolled = g.areas.filter((a) => a.patrolMinutes === 0).sort((a, b) => b.residentShare - a.residentShare);
  const rows = [...patrolled, ...unpatrolled.slice(0, 5)];
  const hidden = unpatrolled.slice(5);
  // The engine names areas by id; the analyst knows them by name.
  const named = (w: string) => w.replace(/^Area (.+?) gets /, (_m, id: string) => `Area ${areaName(id)}${areaName(id) === id ? '' : ` (${id})`} gets `);
  return (
    <section aria-labelledby="plan-guardrails" data-testid="plan-guardrails">
      <h4 id="plan-guardrails">Guardrails</h4>
      {g.warnings.length === 0 ? (
        <p className="small">No warning: patrol minutes stay within the caps and every place rests on significant evidence.</p>
      ) : (
        <ul className="plan-warnings">
          {g.warnings.map((w) => (
            <li key={w} className="small plan-warning">
              {named(w)}
            </li>
          ))}
        </ul>
      )}
      <table className="plan-table">
        <caption>
          Patrol minutes vs resident calls by area (caps: {pct(g.settings.maxMinutesShare)} of minutes, {g.settings.maxShareRatio}× the calls share)
        </caption>
        <thead>
          <tr>
            <th scope="col">Area</th>
            <th scope="col">Patrol minutes</th>
            <th scope="col">Minutes share</th>
            <th scope="col">Resident calls share</th>
            <th scope="col">Over cap</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((a) => (
            <tr key={a.areaId} className={a.overCap ? 'row-flagged' : undefined}>
              <th scope="row">{a.areaId === '(no area)' ? a.areaId : areaName(a.areaId)}</th>
              <td className="num">{Math.round(a.patrolMinutes).toLocaleString('en-US')}</td>
              <td className="num">{pct(a.minutesShare)}</td>
              <td className="num">{pct(a.residentShare)}</td>
              <td>{a.overCap ? 'yes' : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {hidden.length > 0 ? (
        <p className="small muted">
          {hidden.length} more area{hidden.length === 1 ? '' : 's'} with no patrol minutes ({pct(hidden.reduce((a, x) => a + x.residentShare, 0))} of resident calls together).
        </p>
      ) : null}
    </section>
  );
}
