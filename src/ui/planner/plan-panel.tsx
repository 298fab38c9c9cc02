import './planner.css';
import { useEffect, useMemo, useRef, useState } from 'react';
import { findHubs } from '../../analysis/hubs';
import type { TypeSummary } from '../../analysis/tier-suggest';
import type { TierMap } from '../../analysis/tiers';
import type { Db } from '../../data/db-types';
import { dataExtent } from '../../data/queries/rotation';
import { toRows } from '../../data/rows';
import type { Sql } from '../../data/sql';
import { planVisitsCsv } from '../../export/plan-csv';
import { planPlacesGeoJson } from '../../export/plan-geojson';
import { serializePlan } from '../../export/plan-json';
import { getDb } from '../../state/db';
import { formShiftIds, type PlanForm } from '../../state/plan-form';
import { planDistricts } from '../../state/plan-run';
import { getPlanState, importPlan, setPinned, updatePlanState, usePlanState } from '../../state/plan-store';
import { useSession } from '../../state/session-store';
import { downloadText } from '../format';
import { loadTypes, resolveTierMap } from '../triage/use-tier-map';
import { cancelPlanning, planBuiltFor, startPlanning, whereKey } from './plan-actions';
import { PlanResults } from './plan-results';
import { PlanSettings } from './plan-settings';
import { ShiftSheets } from './shift-sheets';

function settingsSummary(f: PlanForm): string {
  const units = formShiftIds(f).map((sh) => f.unitsPerShift[sh.id] ?? 1);
  return `${f.planDays} days from ${f.planStart || 'the day after the data'}, shifts ${f.shiftsText}, ${f.byDistrict ? 'units by district' : `units ${units.join('/')}`}, ${f.placesPerUnit} places per unit, evidence ${f.evidenceWindow === 'auto' ? 'window chosen from the data' : `${f.evidenceDays} days`}`;
}

interface DataFacts {
  db: Db;
  types: TypeSummary[];
  tierMap: TierMap | null;
  tierSource: string;
  districts: string[];
  dayAfterData: string | null;
}

/** The Plan tab: directed-patrol rotation from the cross-filtered calls, pinned or following the filters. */
export function PlanPanel({ where }: { where: Sql }) {
  const session = useSession();
  const s = usePlanState();
  const [facts, setFacts] = useState<DataFacts | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  // Open until there is a plan, then folded so the plan reads first (one click brings it back).
  const [settingsOpen, setSettingsOpen] = useState(s.plan === null);
  const hadPlan = useRef(s.plan !== null);
  useEffect(() => {
    if (s.plan && !hadPlan.current) setSettingsOpen(false);
    hadPlan.current = s.plan !== null;
  }, [s.plan]);
  const hubs = useMemo(() => (session.transit ? findHubs(session.transit).hubs : []), [session.transit]);
  const areaNames = useMemo(() => new Map((session.areaFeatures ?? []).map((a) => [a.id, a.name])), [session.areaFeatures]);
  const dataset = session.datasetName ?? 'calls';
  const columns = session.report?.files[0]?.columns;

  useEffect(() => {
    if (!session.report) return;
    let cancelled = false;
    (async () => {
      const db = await getDb();
      const types = await loadTypes(db);
      const resolved = await resolveTierMap(dataset, columns ?? [], async () => types).catch(() => null);
      const districts = await planDistricts(db);
      const [ext] = toRows(await db.query(dataExtent()));
      const last = ext?.last ? String(ext.last).slice(0, 10) : null;
      const dayAfterData = last ? new Date(Date.parse(`${last}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10) : null;
      return { db, types, tierMap: resolved?.map ?? null, tierSource: resolved?.source ?? 'none', districts, dayAfterData };
    })().then(
      (f) => !cancelled && setFacts(f),
      (e: unknown) => !cancelled && setLoadError(`The planner could not read the loaded calls: ${String(e)}.`),
    );
    return () => {
      cancelled = true;
    };
  }, [session.report, dataset, columns]);

  const ctx = useMemo(() => ({ areas: session.areaFeatures, hubs, tierMap: facts?.tierMap ?? null }), [session.areaFeatures, hubs, facts]);
  const key = whereKey(where);
  // Follow the cross-filter: an unpinned plan is rebuilt when the filters change (after a pause,
  // so a brush drag does not start a plan per mouse move).
  useEffect(() => {
    const now = getPlanState();
    if (!facts || !now.plan || now.origin !== 'planned' || s.pinned || now.running || planBuiltFor() === key) return;
    const t = setTimeout(() => startPlanning(where, ctx, areaNames), 500);
    return () => clearTimeout(t);
  }, [key, where, ctx, areaNames, facts, s.pinned]);

  if (!session.report) return <p className="note">Load a call log to plan directed-patrol rotations.</p>;
  if (loadError) return <p role="alert">{loadError}</p>;
  if (!facts) return <p role="status">Preparing the planner…</p>;

  const plan = s.plan;
  const stem = `callsight-plan-${plan?.settings.windowStart ?? 'draft'}`;
  const followsNow = plan && s.origin === 'planned' && planBuiltFor() === key;
  return (
    <div className="plan-panel">
      <p className="small muted">
        Directed-patrol rotation (Koper curve: ~15-minute stops, each place about every 100 minutes, random order from a seed) from the calls under the dashboard filters. Referral rule uses the {facts.tierSource} tier map.
      </p>
      <details className="plan-settings-wrap" open={settingsOpen} onToggle={(e) => setSettingsOpen(e.currentTarget.open)}>
        <summary>Settings: {settingsSummary(s.form)}</summary>
        <PlanSettings form={s.form} dayAfterData={facts.dayAfterData} types={facts.types} tierMap={facts.tierMap} districts={facts.districts} disabled={s.running} />
      </details>
      <div className="button-row plan-actions">
        {s.running ? (
          <button type="button" className="button button--quiet" onClick={cancelPlanning}>
            Cancel
          </button>
        ) : (
          <button type="button" className="button button--primary" onClick={() => startPlanning(where, ctx, areaNames)}>
            {plan ? 'Plan again' : 'Plan'}
          </button>
        )}
        <button
          type="button"
          className="button button--quiet"
          aria-pressed={s.pinned}
          disabled={!plan}
          onClick={() => {
            const pin = !s.pinned;
            setPinned(pin);
            // Unpinning hands the plan back to the filters: rebuild from the data as filtered now.
            if (!pin && (s.origin === 'imported' || planBuiltFor() !== key)) startPlanning(where, ctx, areaNames);
          }}
        >
          {s.pinned ? 'Pinned (unpin to follow filters)' : 'Pin plan'}
        </button>
        <button type="button" className="button button--quiet" onClick={() => fileInput.current?.click()}>
          Import plan…
        </button>
        <input
          ref={fileInput}
          type="file"
          accept=".json,application/json"
          hidden
          data-testid="plan-import"
          onChange={async (e) => {
            const file = e.target.files?.[0];
            e.target.value = '';
            if (file) importPlan(await file.text(), file.name);
          }}
        />
      </div>
      {s.running && s.progress ? (
        <div className="plan-progress" role="status" aria-live="polite">
          <progress max={1} value={s.progress.fraction} aria-label="Planning progress" /> {s.progress.phase}…
        </div>
      ) : null}
      {s.error ? (
        <p role="alert" className="plan-error">
          {s.error}
        </p>
      ) : null}
      {plan ? (
        <>
          <p className="plan-status small" data-testid="plan-status">
            {s.origin === 'imported' ? (
              <>
                Imported from <strong>{s.fileName}</strong>, pinned: the current filters and data did not build it.
              </>
            ) : (
              <>
                {s.pinned ? <strong>Pinned. </strong> : null}
                Built with {s.builtWith ? <>filters: {s.builtWith}</> : 'no dashboard filter'}
                {s.pinned ? (followsNow ? '.' : '; the dashboard filters have changed since, the plan has not.') : '; it follows the filters.'}
              </>
            )}{' '}
            Plan {plan.settings.windowStart}, {plan.settings.windowDays} days, seed {plan.settings.seed}.
          </p>
          <div className="button-row">
            <button type="button" className="button button--small" onClick={() => updatePlanState({ sheetsOpen: true })}>
              Shift sheets (print)
            </button>
            <button type="button" className="button button--small" onClick={() => downloadText(`${stem}-visits.csv`, planVisitsCsv(plan))}>
              CSV
            </button>
            <button type="button" className="button button--small" onClick={() => downloadText(`${stem}-places.geojson`, JSON.stringify(planPlacesGeoJson(plan)), 'application/geo+json')}>
              GeoJSON
            </button>
            <button type="button" className="button button--small" onClick={() => downloadText(`${stem}.json`, serializePlan(plan), 'application/json')}>
              Plan JSON
            </button>
            <label className="check small">
              <input type="checkbox" checked={s.layer.visible} onChange={(e) => updatePlanState({ layer: { ...s.layer, visible: e.target.checked } })} />
              On the map
            </label>
          </div>
          <PlanResults plan={plan} shiftIndex={s.shiftIndex} selectedPlaceId={s.selectedPlaceId} areaNames={areaNames} />
          {s.sheetsOpen ? <ShiftSheets plan={plan} shiftIndex={s.shiftIndex} areas={session.areas} areaNames={areaNames} /> : null}
        </>
      ) : (
        <p className="small muted">Set the shifts and units, then choose Plan. Planning runs in the background and can be cancelled.</p>
      )}
    </div>
  );
}
