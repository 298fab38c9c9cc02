import type { CubeFilters } from '../../src/data/queries/cube-index';
import { areasClause, bboxClause, type Clause, hoursClause, timeClause, typesClause, weekdaysClause } from '../../src/state/clauses';
import { VIEW_IDS } from '../../src/state/view-clients';

/**
 * The bench's scripted filter shape (CubeFilters, what interactions.ts generates and the
 * in-tab bench hands the store) as the app's clauses, each with the view that makes it as its
 * source. `types` are matched against type_code here (the clauses filter codes); give codes.
 * tests/unit/cube-index.test.ts holds both meanings equal on random filters.
 */
export function clausesOfCubeFilters(f: CubeFilters): Clause[] {
  const out: Clause[] = [];
  const h = f.hourOfWeek;
  if (h) {
    out.push(weekdaysClause(VIEW_IDS.heatmap, Array.from({ length: h.dowTo - h.dowFrom + 1 }, (_, i) => h.dowFrom + i)));
    // inclusive hourTo → half-open end; a window that wraps onto its own start is the whole day
    const end = h.hourTo + 1;
    out.push(end % 24 === h.hourFrom ? hoursClause(VIEW_IDS.heatmap, 0, 24) : hoursClause(VIEW_IDS.heatmap, h.hourFrom, end));
  }
  if (f.types.length) out.push(typesClause(VIEW_IDS.typeBars, f.types));
  if (f.areas.length) out.push(areasClause(VIEW_IDS.areaTable, f.areas));
  if (f.bbox) out.push(bboxClause(VIEW_IDS.map, { west: f.bbox[0], south: f.bbox[1], east: f.bbox[2], north: f.bbox[3] }));
  if (f.dates) out.push(timeClause(VIEW_IDS.timeSeries, f.dates[0], f.dates[1]));
  return out;
}
