/**
 * Guardrails on a rotation plan: where patrol minutes go against where residents call from, and
 * how strong the evidence behind each place is. Directed patrol that follows its own activity
 * (officer-initiated calls), or concentrates far beyond residents' demand, is the failure mode
 * these checks exist to surface; they warn, the commander decides.
 */
export interface GuardrailOptions {
  /** warn when an area's share of patrol minutes exceeds this multiple of its share of resident calls */
  maxShareRatio?: number;
  /** warn when one area gets more than this share of all patrol minutes */
  maxMinutesShare?: number;
  /** a place with fewer calls in the evidence window rests on thin evidence */
  minEvidenceCalls?: number;
}

export const GUARDRAIL_DEFAULTS: Required<GuardrailOptions> = { maxShareRatio: 2, maxMinutesShare: 0.4, minEvidenceCalls: 10 };

export interface AreaBalance {
  areaId: string;
  patrolMinutes: number;
  minutesShare: number;
  residentCalls: number;
  residentShare: number;
  /** minutesShare / residentShare (Inf when residents made no call there) */
  ratio: number;
  overCap: boolean;
}

export interface PlaceEvidence {
  placeId: string;
  label: string;
  calls: number;
  /** Gi* bin of the place's best cell (0 = not significant) */
  giBin: number;
  /** a repeat-report cluster also points here */
  cluster: boolean;
}

export interface GuardrailReport {
  settings: Required<GuardrailOptions> & { includeSelfInitiated: boolean };
  areas: AreaBalance[];
  thinEvidence: string[];
  warnings: string[];
}

export function checkGuardrails(
  patrolMinutesByArea: ReadonlyMap<string, number>,
  residentCallsByArea: ReadonlyMap<string, number>,
  places: readonly PlaceEvidence[],
  includeSelfInitiated: boolean,
  options: GuardrailOptions = {},
): GuardrailReport {
  const s = { ...GUARDRAIL_DEFAULTS, ...options };
  const totalMinutes = [...patrolMinutesByArea.values()].reduce((a, b) => a + b, 0);
  const totalCalls = [...residentCallsByArea.values()].reduce((a, b) => a + b, 0);
  const warnings: string[] = [];
  if (includeSelfInitiated) {
    warnings.push('Officer-initiated calls are counted as evidence. Patrol generates its own calls where it already is, so the plan can feed itself; switch them off unless you have a reason.');
  }
  const ids = [...new Set([...patrolMinutesByArea.keys(), ...residentCallsByArea.keys()])].sort();
  const areas = ids.map((areaId): AreaBalance => {
    const patrolMinutes = patrolMinutesByArea.get(areaId) ?? 0;
    const residentCalls = residentCallsByArea.get(areaId) ?? 0;
    const minutesShare = totalMinutes > 0 ? patrolMinutes / totalMinutes : 0;
    const residentShare = totalCalls > 0 ? residentCalls / totalCalls : 0;
    const ratio = residentShare > 0 ? minutesShare / residentShare : minutesShare > 0 ? Number.POSITIVE_INFINITY : Number.NaN;
    const overRatio = patrolMinutes > 0 && ratio > s.maxShareRatio;
    const overShare = minutesShare > s.maxMinutesShare;
    if (overRatio) warnings.push(`Area ${areaId} gets ${pct(minutesShare)} of patrol minutes but ${pct(residentShare)} of resident calls (${fmt(ratio)}×, cap ${s.maxShareRatio}×). Consider trimming its places.`);
    if (overShare) warnings.push(`Area ${areaId} gets ${pct(minutesShare)} of all patrol minutes (cap ${pct(s.maxMinutesShare)}).`);
    return { areaId, patrolMinutes, minutesShare, residentCalls, residentShare, ratio, overCap: overRatio || overShare };
  });
  const thin = places.filter((p) => p.calls < s.minEvidenceCalls || (p.giBin < 2 && !p.cluster));
  for (const p of thin) {
    const why = [p.calls < s.minEvidenceCalls ? `only ${p.calls} calls in the evidence window` : null, p.giBin < 2 && !p.cluster ? 'not a significant hot spot (Gi* q > .05) and no repeat cluster' : null].filter(Boolean).join('; ');
    warnings.push(`${p.label} rests on thin evidence: ${why}.`);
  }
  areas.sort((a, b) => b.minutesShare - a.minutesShare || (a.areaId < b.areaId ? -1 : 1));
  return { settings: { ...s, includeSelfInitiated }, areas, thinEvidence: thin.map((p) => p.placeId), warnings };
}

const pct = (v: number) => `${(v * 100).toFixed(1)} %`;
const fmt = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : '∞');
