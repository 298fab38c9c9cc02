import type { QualityReport } from '../data/types';

/**
 * Above this share of located calls outside every loaded area, the areas describe another
 * place (e.g. the demo city's neighbourhoods under a New Orleans log), not a few strays.
 */
export const MISMATCH_OUTSIDE_SHARE = 0.9;

export function areasMismatch(geo: QualityReport['geo'], threshold = MISMATCH_OUTSIDE_SHARE): boolean {
  const located = geo.valid + geo.outside + geo.swapped;
  return located > 0 && geo.outside / located > threshold;
}

export function mismatchSentence(areasLabel: string): string {
  return `These calls are not inside the loaded areas (${areasLabel}). Drop the matching area file, or continue without areas.`;
}
