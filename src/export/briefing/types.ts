/**
 * The council briefing as data: a fixed set of pre-audited tables plus the analyst's words.
 * Everything in `BriefingModel` may be published; nothing in it is a raw row, a call id, a
 * block address or a coordinate. Suppressed values are null, never the count.
 */
export interface Period {
  /** first day, 'YYYY-MM-DD' (agency wall-clock) */
  start: string;
  /** day after the last day, 'YYYY-MM-DD' (exclusive) */
  end: string;
  label: string;
}

export interface Narrative {
  title: string;
  summary: string;
  /** the analyst's paragraphs (the dialog offers three) */
  paragraphs: string[];
  notes: string;
}

export type CellState = 'published' | 'suppressed' | 'zero';

/** One published value: null when suppressed (primary or complementary). */
export type Value = number | null;

/** A 2-D table as published: rows × columns with margins, keys plus display labels. */
export interface PublishedTable {
  id: string;
  title: string;
  rowDim: string;
  colDim: string;
  rows: { key: string; label: string }[];
  cols: { key: string; label: string }[];
  cells: Value[][];
  rowTotals: Value[] | null;
  colTotals: Value[] | null;
  grandTotal: Value;
}

export type HotspotClassLabel = 'hot-99' | 'hot-95' | 'hot-90' | 'not-significant' | 'cold-90' | 'cold-95' | 'cold-99' | 'undefined';

export interface AreaShape {
  key: string;
  label: string;
  /** SVG path in the map's pixel space (no lon/lat is ever published) */
  path: string;
  labelAt: [number, number];
  /** areas smaller than the minimum published size are shown but counted with their neighbours' group */
  combinedInto?: string;
}

export interface CellShape {
  key: string;
  /** square corners in map pixels: x, y, size */
  x: number;
  y: number;
  size: number;
  class: HotspotClassLabel;
  /** area holding the square's centre (significant squares only) */
  area?: string;
}

export interface BriefingMap {
  width: number;
  height: number;
  areas: AreaShape[];
  cells: CellShape[];
  cellMeters: number;
  cellKm2: number;
}

export interface ChangeFigure {
  key: string;
  label: string;
  current: Value;
  previous: Value;
  /** published only when both sides are */
  change: Value;
  changePct: Value;
}

export interface RotationAreaRow {
  key: string;
  label: string;
  /** suggested patrol minutes per week, rounded to 10; null when its evidence base is below k */
  minutesPerWeek: Value;
  minutesSharePct: Value;
  residentSharePct: Value;
}

export interface SensitiveSummaryRow {
  id: string;
  label: string;
  removed: Value;
}

export interface QualityFigures {
  rowsIn: Value;
  rowsLoaded: Value;
  rowsRejected: number;
  duplicates: number;
  noLocation: number;
  firstCall: string | null;
  lastCall: string | null;
  notes: string[];
}

export interface BriefingModel {
  version: 1;
  narrative: Narrative;
  /** 'YYYY-MM-DD' */
  publishedOn: string;
  place: string;
  current: Period;
  previous: Period;
  k: number;
  headline: ChangeFigure[];
  areaChange: ChangeFigure[];
  tables: {
    areaTier: PublishedTable;
    tierOutcome: PublishedTable;
    hourOfWeek: PublishedTable;
    weeks: PublishedTable;
    weeksPrevious: PublishedTable;
    cells: PublishedTable;
    areaTierPrevious: PublishedTable;
    sensitiveMonths: PublishedTable;
  };
  map: BriefingMap;
  hotspots: { cellMeters: number; hot: number; cold: number; cells: number; neighbourhood: string; correction: string };
  rotation: { rows: RotationAreaRow[]; evidence: string; notes: string[] } | null;
  sensitive: { categories: SensitiveSummaryRow[]; total: Value; months: string; note: string };
  quality: QualityFigures;
  disclosure: { method: string; primary: number; secondary: number; auditedCells: number; auditOk: true; minAreaKm2: number };
}
