import { squareGridSpec } from '../../analysis/binning';
import { defaultRotationSettings, planRotation, type RotationPlan } from '../../analysis/rotation';
import type { EvidenceRow } from '../../analysis/rotation-candidates';
import { squareCellsInRegion } from '../../analysis/study-area';
import type { TierMap } from '../../analysis/tiers';
import type { Db } from '../../data/db-types';
import { cellHourEvidence, dataExtent, evidenceRowsFrom } from '../../data/queries/rotation';
import { toRows } from '../../data/rows';
import { sql } from '../../data/sql';
import type { AreaFeature } from '../../data/types';
import { BRIEFING_VIEW } from './queries';
import type { Period, RotationAreaRow } from './types';

/**
 * The rotation as a council sees it: patrol minutes per week by area against where residents
 * called from (the guardrail table), never places, units or schedules. When the app has no
 * plan, one is made with the planner's defaults from the 28 days before the period ends,
 * sensitive calls left out like everywhere else in the briefing.
 */
export async function planForBriefing(db: Db, period: Period, areas: readonly AreaFeature[], tierMap: TierMap): Promise<RotationPlan> {
  const [ext] = toRows(await db.query(dataExtent({ table: BRIEFING_VIEW })));
  const settings = defaultRotationSettings(period.end, { seed: 1 });
  const grid = squareGridSpec(Number(ext!.lon), Number(ext!.lat), settings.cellMeters);
  const endMs = Date.parse(`${period.end}T00:00:00Z`);
  const start = new Date(endMs - settings.evidenceDays * 86_400_000).toISOString().slice(0, 10);
  const evidenceStart = `${start} 00:00:00`;
  const evidenceEnd = `${period.end} 00:00:00`;
  const rows = toRows(
    await db.query(
      cellHourEvidence({
        grid,
        table: BRIEFING_VIEW,
        where: sql`sensitive_category IS NULL`,
        start: evidenceStart,
        end: evidenceEnd,
        halfLifeDays: settings.halfLifeDays,
        recentDays: settings.recentDays,
        tierMap,
      }),
    ),
  );
  // Nothing published carries an address: the summary is planned without block addresses.
  const evidence: EvidenceRow[] = evidenceRowsFrom(rows).map(({ blockAddress: _dropped, ...r }) => r);
  const studyCells = areas.length ? squareCellsInRegion(grid, areas.map((a) => a.geometry)) : undefined;
  return planRotation({ evidence, evidenceStart, evidenceEnd, grid, settings, ...(studyCells ? { studyCells } : {}) });
}

/** Area rows: minutes rounded to 10 and shares to whole percent; hidden when fewer than k resident calls back them. */
export function rotationRows(plan: RotationPlan, k: number, label: (areaId: string) => string): RotationAreaRow[] {
  const days = plan.settings.windowDays;
  return plan.guardrails.areas
    .filter((a) => a.patrolMinutes > 0 || a.residentCalls > 0)
    .map((a) => {
      const ok = a.residentCalls >= k;
      return {
        key: a.areaId,
        label: label(a.areaId),
        minutesPerWeek: ok ? Math.round(((a.patrolMinutes * 7) / days) / 10) * 10 : null,
        minutesSharePct: ok ? Math.round(a.minutesShare * 100) : null,
        residentSharePct: ok ? Math.round(a.residentShare * 100) : null,
      };
    })
    .sort((x, y) => (y.minutesPerWeek ?? -1) - (x.minutesPerWeek ?? -1) || x.label.localeCompare(y.label));
}
