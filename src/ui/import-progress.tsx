import type { ImportProgress } from '../state/session-store';
import { formatBytes, formatCount } from './format';

export function ImportProgressBar({ progress, onCancel }: { progress: ImportProgress; onCancel: () => void }) {
  const fraction = progress.bytesTotal > 0 ? Math.min(1, progress.bytesDone / progress.bytesTotal) : undefined;
  return (
    <section className="import-progress" aria-label="Import progress" data-testid="import-progress">
      <div className="import-progress__text">
        <strong>{progress.phase}</strong> <span className="muted">{progress.file}</span>
        <span className="import-progress__numbers">
          {formatCount(progress.rows)} rows
          {progress.bytesTotal > 0 ? ` · ${formatBytes(progress.bytesDone)} of ${formatBytes(progress.bytesTotal)}` : ''}
        </span>
      </div>
      {/* no value = indeterminate: stages that cannot measure bytes still show activity */}
      <progress max={1} value={fraction} aria-label="Import progress" />
      <button type="button" className="button button--quiet" onClick={onCancel}>
        Cancel
      </button>
    </section>
  );
}
