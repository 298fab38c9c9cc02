import { lazy, Suspense, useState } from 'react';
import type { QualityReport } from '../data/types';
import { useSession } from '../state/session-store';
import { ArchiveDialog, ArchiveRangeButton, OpenArchiveButton } from './archive-dialog';
import { RestoredNote } from './cache-note';
import { ImportButton } from './import-button';
import { QualityBadge } from './quality-badge';

// The briefing writer (renderer, SVG charts, zip) loads on first use, not with the shell.
const loadPublishDialog = () => import('./publish/publish-dialog');
const prefetchPublishDialog = () => {
  loadPublishDialog().catch(() => {}); // a failure is reported when the dialog is opened
};
const PublishDialog = lazy(() =>
  loadPublishDialog().then(
    (m) => ({ default: m.PublishDialog }),
    (e: unknown) => ({
      default: () => (
        <p role="alert">
          The briefing writer could not load ({String(e)}). Reload the page and open Publish briefing again.
        </p>
      ),
    }),
  ),
);

function PublishBriefingButton() {
  const session = useSession();
  const [open, setOpen] = useState(false);
  return (
    <>
      {/* hover or focus starts the chunk fetch so the dialog usually opens without a wait */}
      <button type="button" className="button button--quiet" onClick={() => setOpen(true)} onPointerEnter={prefetchPublishDialog} onFocus={prefetchPublishDialog} disabled={!session.report}>
        Publish briefing
      </button>
      {open ? (
        <Suspense fallback={<span role="status" className="muted small">Opening the briefing writer…</span>}>
          <PublishDialog onClose={() => setOpen(false)} />
        </Suspense>
      ) : null}
    </>
  );
}

interface Props {
  datasetName: string | null;
  report: QualityReport | null;
  busy: boolean;
  onFiles: (files: File[]) => void;
  onOpenReport: () => void;
  onOpenSettings: () => void;
}

export function AppHeader({ datasetName, report, busy, onFiles, onOpenReport, onOpenSettings }: Props) {
  return (
    <header className="app-header">
      <div className="brand">
        <svg width="22" height="22" viewBox="0 0 22 22" aria-hidden="true" focusable="false">
          <circle cx="11" cy="11" r="9" fill="none" stroke="currentColor" strokeWidth="2" />
          <circle cx="11" cy="11" r="3.2" fill="#E69F00" />
        </svg>
        <span className="brand__name">Callsight</span>
      </div>
      <div className="dataset" data-testid="dataset-name">
        {datasetName ? (
          <>
            <span className="dataset__label">Dataset</span> <span className="dataset__name">{datasetName}</span> <RestoredNote variant="header" />
          </>
        ) : (
          <span className="muted">No dataset loaded</span>
        )}
      </div>
      <QualityBadge report={report} onOpen={onOpenReport} />
      <span className="privacy-note" title="Files are read by this browser tab only; nothing is uploaded.">
        Local only
      </span>
      <div className="header-actions">
        <ImportButton onFiles={onFiles} disabled={busy} />
        <OpenArchiveButton disabled={busy} />
        <ArchiveRangeButton disabled={busy} />
        <ArchiveDialog />
        <PublishBriefingButton />
        <button type="button" className="button button--quiet" onClick={onOpenSettings}>
          Settings
        </button>
      </div>
    </header>
  );
}
