import { OpenArchiveButton } from './archive-dialog';
import { ImportButton } from './import-button';

export function EmptyState({ onFiles }: { onFiles: (files: File[]) => void }) {
  return (
    <div className="empty-state" data-testid="empty-state">
      <h2>Load a calls-for-service log</h2>
      <p>Drop files anywhere on this page, or choose them:</p>
      <ul>
        <li>
          <strong>Calls</strong>: CSV or Parquet export from CAD / records
        </li>
        <li>
          <strong>Areas</strong> (optional): neighbourhoods, districts or beats as GeoJSON
        </li>
        <li>
          <strong>Transit</strong> (optional): GTFS stops.txt, routes.txt, trips.txt, shapes.txt
        </li>
      </ul>
      <ImportButton onFiles={onFiles} label="Choose files…" />{' '}
      <OpenArchiveButton />
      <p className="muted small">A multi-year archive prepared with <code>npm run prepare-archive</code>: open its folder and pick a date range.</p>
      <p className="muted small">Everything is processed in this browser tab. Nothing is uploaded.</p>
    </div>
  );
}
