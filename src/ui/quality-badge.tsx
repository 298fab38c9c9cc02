import type { QualityReport } from '../data/types';
import { formatCount } from './format';

interface Props {
  report: QualityReport | null;
  onOpen: () => void;
}

/** Loaded / rejected at a glance; the tone changes when rejects pass 1 % of input. */
export function QualityBadge({ report, onOpen }: Props) {
  if (!report) return null;
  const { input, loaded, rejected } = report.rows;
  const tone = rejected === 0 ? 'ok' : rejected / Math.max(1, input) > 0.01 ? 'warn' : 'note';
  return (
    <button type="button" className={`quality-badge quality-badge--${tone}`} onClick={onOpen} data-testid="quality-badge">
      <span className="quality-badge__loaded" data-testid="badge-loaded">{formatCount(loaded)}</span>
      <span className="quality-badge__label">loaded</span>
      <span className="quality-badge__sep" aria-hidden="true">·</span>
      <span className="quality-badge__rejected" data-testid="badge-rejected">{formatCount(rejected)}</span>
      <span className="quality-badge__label">rejected</span>
      {/* the accessible name starts with the visible text (WCAG 2.5.3) and says where it goes */}
      <span className="visually-hidden">, open the data quality report</span>
    </button>
  );
}
