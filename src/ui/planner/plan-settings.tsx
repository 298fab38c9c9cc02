import { useMemo, useState } from 'react';
import type { TypeSummary } from '../../analysis/tier-suggest';
import { assignTier, type TierMap } from '../../analysis/tiers';
import { formShiftIds, type PlanForm } from '../../state/plan-form';
import { setPlanForm } from '../../state/plan-store';

interface Props {
  form: PlanForm;
  /** the day after the last loaded call, the default plan start */
  dayAfterData: string | null;
  types: readonly TypeSummary[];
  tierMap: TierMap | null;
  /** district values of the data, busiest first (empty when the data has none) */
  districts: readonly string[];
  disabled: boolean;
}

const totalCalls = (t: TypeSummary) => Object.values(t.priorityCounts).reduce((a, b) => a + b, 0);
const num = (v: string) => (v.trim() === '' ? Number.NaN : Number(v));

/** The planner's inputs. Every field is a plain control with a visible label; units are in the labels. */
export function PlanSettings({ form, dayAfterData, types, tierMap, districts, disabled }: Props) {
  const shifts = formShiftIds(form);
  // a form saved before the window could be chosen has no field: it meant the days it shows
  const auto = form.evidenceWindow === 'auto';
  return (
    <fieldset className="plan-settings" disabled={disabled}>
      <legend>Plan settings</legend>
      <div className="plan-grid">
        <label>
          First day
          <input type="date" value={form.planStart || dayAfterData || ''} onChange={(e) => setPlanForm({ planStart: e.target.value })} />
        </label>
        <label>
          Days planned
          <input type="number" min={1} max={31} value={form.planDays} onChange={(e) => setPlanForm({ planDays: num(e.target.value) })} />
        </label>
        <label className="span-2">
          Shifts (hours, start-end)
          <input type="text" value={form.shiftsText} onChange={(e) => setPlanForm({ shiftsText: e.target.value })} aria-describedby="shift-help" spellCheck={false} />
          <span id="shift-help" className="small muted">
            e.g. 07-15,15-23,23-07
          </span>
        </label>
        <label>
          Places per unit
          <input type="number" min={1} max={6} value={form.placesPerUnit} onChange={(e) => setPlanForm({ placesPerUnit: num(e.target.value) })} />
        </label>
        <label>
          Seed (visit order)
          <input type="number" min={0} value={form.seed} onChange={(e) => setPlanForm({ seed: num(e.target.value) })} />
        </label>
      </div>
      <UnitsTable form={form} shifts={shifts} districts={districts} />
      <div className="plan-grid">
        <label className="span-2">
          Evidence window
          <select value={auto ? 'auto' : 'set'} onChange={(e) => setPlanForm({ evidenceWindow: e.target.value === 'auto' ? 'auto' : 'set' })} aria-describedby="evidence-window-help">
            <option value="auto">Choose from the data</option>
            <option value="set">Set days and half-life by hand</option>
          </select>
          <span id="evidence-window-help" className="small muted">
            {auto
              ? 'Four windows fixed in advance (28 days with a 14-day half-life, 28 days flat, 56 days with a 28-day half-life, 91 days flat) are each scored on the most recent complete weeks before the plan, under the current filters; the best is used and the results show every score.'
              : 'The plan uses exactly the window below.'}
          </span>
        </label>
        {auto ? null : (
          <>
            <label>
              Evidence window (days)
              <input type="number" min={7} max={365} value={form.evidenceDays} onChange={(e) => setPlanForm({ evidenceDays: num(e.target.value) })} />
            </label>
            <label>
              Recency half-life (days, 0 = none)
              <input type="number" min={0} max={365} step={1} value={form.halfLifeDays} onChange={(e) => setPlanForm({ halfLifeDays: num(e.target.value) })} />
            </label>
          </>
        )}
        <label>
          Cap: one area's share of patrol minutes (%)
          <input type="number" min={1} max={100} value={form.maxMinutesSharePct} onChange={(e) => setPlanForm({ maxMinutesSharePct: num(e.target.value) })} />
        </label>
        <label>
          Cap: minutes share ÷ resident-calls share
          <input type="number" min={1} max={20} step={0.5} value={form.maxShareRatio} onChange={(e) => setPlanForm({ maxShareRatio: num(e.target.value) })} />
        </label>
        <label>
          Thin evidence below (calls)
          <input type="number" min={1} value={form.minEvidenceCalls} onChange={(e) => setPlanForm({ minEvidenceCalls: num(e.target.value) })} />
        </label>
        <label>
          Cell size (m)
          <input type="number" min={25} max={1000} step={25} value={form.cellMeters} onChange={(e) => setPlanForm({ cellMeters: num(e.target.value) })} />
        </label>
      </div>
      <label className="check">
        <input type="checkbox" checked={form.includeSelfInitiated} onChange={(e) => setPlanForm({ includeSelfInitiated: e.target.checked })} />
        Count officer-initiated calls as evidence
      </label>
      {form.includeSelfInitiated ? (
        <p className="small plan-warning">Patrol generates its own calls where it already is: with these counted, the plan can feed itself.</p>
      ) : (
        <p className="small muted">Officer-initiated calls are left out of the evidence (they follow patrol, not residents' needs).</p>
      )}
      <TypeScope form={form} types={types} tierMap={tierMap} />
    </fieldset>
  );
}

function UnitsTable({ form, shifts, districts }: { form: PlanForm; shifts: { id: string; label: string }[]; districts: readonly string[] }) {
  if (shifts.length === 0) return <p className="small plan-warning">Write the shifts as start-end hours to set units per shift.</p>;
  const byDistrict = form.byDistrict && districts.length > 0;
  const rows = byDistrict ? districts : ['All areas'];
  return (
    <div className="plan-units">
      {districts.length > 0 ? (
        <label className="check">
          <input type="checkbox" checked={form.byDistrict} onChange={(e) => setPlanForm({ byDistrict: e.target.checked })} />
          Assign units per district
        </label>
      ) : null}
      <table className="plan-table">
        <caption>Units per shift{byDistrict ? ' and district' : ''}</caption>
        <thead>
          <tr>
            <th scope="col">{byDistrict ? 'District' : ''}</th>
            {shifts.map((s) => (
              <th key={s.id} scope="col">
                {s.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((d) => (
            <tr key={d}>
              <th scope="row">{d}</th>
              {shifts.map((s) => {
                const value = byDistrict ? (form.unitsByDistrict[s.id]?.[d] ?? 0) : (form.unitsPerShift[s.id] ?? 1);
                return (
                  <td key={s.id}>
                    <input
                      type="number"
                      min={0}
                      max={100}
                      value={value}
                      aria-label={`Units ${s.label}${byDistrict ? ` district ${d}` : ''}`}
                      onChange={(e) => {
                        const n = num(e.target.value);
                        if (byDistrict) setPlanForm({ unitsByDistrict: { ...form.unitsByDistrict, [s.id]: { ...form.unitsByDistrict[s.id], [d]: n } } });
                        else setPlanForm({ unitsPerShift: { ...form.unitsPerShift, [s.id]: n } });
                      }}
                    />
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function TypeScope({ form, types, tierMap }: { form: PlanForm; types: readonly TypeSummary[]; tierMap: TierMap | null }) {
  const [filter, setFilter] = useState('');
  const tierOf = useMemo(() => {
    const m = new Map<string, number | null>();
    if (tierMap) for (const t of types) m.set(t.code, assignTier(tierMap, { typeCode: t.code, typeText: t.text, priority: null }));
    return m;
  }, [types, tierMap]);
  const sorted = useMemo(() => [...types].sort((a, b) => totalCalls(b) - totalCalls(a) || a.code.localeCompare(b.code)), [types]);
  const chosen = new Set(form.typeCodes ?? []);
  const shown = sorted.filter((t) => !filter || `${t.code} ${t.text ?? ''}`.toLowerCase().includes(filter.toLowerCase())).slice(0, 200);
  const set = (codes: string[] | null) => setPlanForm({ typeCodes: codes && codes.length > 0 ? codes : null });
  return (
    <details className="plan-types">
      <summary>Call types in scope: {form.typeCodes ? `${form.typeCodes.length} of ${types.length}` : `all ${types.length}`} (the dashboard's type filter applies too)</summary>
      <div className="button-row">
        <button type="button" className="button button--small" onClick={() => set(null)}>
          All types
        </button>
        {tierMap
          ? [1, 2, 3].map((tier) => {
              const codes = types.filter((t) => tierOf.get(t.code) === tier).map((t) => t.code);
              return (
                <button key={tier} type="button" className="button button--small" disabled={codes.length === 0} onClick={() => set(codes)}>
                  Level {tier} only ({codes.length})
                </button>
              );
            })
          : null}
      </div>
      <label className="small">
        Find a type
        <input type="search" value={filter} onChange={(e) => setFilter(e.target.value)} />
      </label>
      <ul className="plan-type-list">
        {shown.map((t) => (
          <li key={t.code}>
            <label className="check small">
              <input
                type="checkbox"
                checked={form.typeCodes === null || chosen.has(t.code)}
                onChange={(e) => {
                  const base = form.typeCodes ?? types.map((x) => x.code);
                  set(e.target.checked ? [...new Set([...base, t.code])] : base.filter((c) => c !== t.code));
                }}
              />
              {t.code}
              {t.text && t.text !== t.code ? ` — ${t.text}` : ''}
            </label>
          </li>
        ))}
      </ul>
    </details>
  );
}
