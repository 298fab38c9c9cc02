import { useCallback, useRef, useState } from 'react';
import type { ColumnMapping } from '../data/types';
import { callsLayerMode } from '../map/layers/calls-layer';
import { MapView } from '../map/map-view';
import { cancelImport, importFiles, rejectsCsv } from '../state/import-flow';
import type { MappingProposal } from '../state/mapping-proposal';
import { useSession, updateSession } from '../state/session-store';
import { saveSettings, useSettings } from '../state/settings';
import { AlertRegion } from './alert-region';
import { DropOverlay, useWindowDrop } from './drop-zone';
import { EmptyState } from './empty-state';
import { downloadText } from './format';
import { AppHeader } from './app-header';
import { ImportProgressBar } from './import-progress';
import { MapLegend } from './map-legend';
import { MappingDialog } from './mapping-dialog';
import { QualityReportPanel } from './quality-report';
import { SettingsDialog } from './settings-dialog';

interface PendingReview {
  proposal: MappingProposal;
  resolve: (mapping: ColumnMapping | null) => void;
}

export function App() {
  const session = useSession();
  const settings = useSettings();
  const [zoom, setZoom] = useState(11);
  const [review, setReview] = useState<PendingReview | null>(null);
  const [settingsOpen, setSettingsOpen] = useState(false);
  const qualityHeading = useRef<HTMLHeadingElement>(null);
  const busy = session.phase === 'importing' || session.phase === 'booting';

  const onFiles = useCallback(async (files: File[]) => {
    const named = await Promise.all(files.map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })));
    await importFiles({
      files: named,
      reviewMapping: (proposal) => new Promise((resolve) => setReview({ proposal, resolve })),
    });
  }, []);
  const dragging = useWindowDrop(onFiles);

  const closeReview = (mapping: ColumnMapping | null) => {
    review?.resolve(mapping);
    setReview(null);
  };

  const points = session.points;
  const mode = points?.length ? callsLayerMode(points.length, { zoom }) : 'none';

  return (
    <div className="app">
      <a className="skip-link" href="#side-panel">
        Skip to data quality report
      </a>
      <AppHeader
        datasetName={session.datasetName}
        report={session.report}
        busy={busy}
        onFiles={onFiles}
        onOpenReport={() => qualityHeading.current?.focus()}
        onOpenSettings={() => setSettingsOpen(true)}
      />
      <AlertRegion message={session.error} onDismiss={() => updateSession({ error: null })} />
      <main className="app-main">
        <section className="map-area" aria-label="Map">
          <MapView areas={session.areas} routes={session.routes} stops={session.stops} points={points} tileStyleUrl={settings.tileStyleUrl} onZoom={setZoom} />
          {session.report || session.areas || session.stops ? (
            <MapLegend shown={points?.length ?? 0} total={session.totalCalls} mode={mode} hasStops={Boolean(session.stops?.features.length)} />
          ) : null}
          {session.phase === 'empty' && !session.report && !session.areas && !session.stops ? <EmptyState onFiles={onFiles} /> : null}
          {session.dbStatus === 'starting' ? (
            <p className="engine-status" role="status">
              Starting the analysis engine…
            </p>
          ) : null}
        </section>
        <aside id="side-panel" className="side-panel" aria-label="Dataset" tabIndex={-1}>
          {session.progress ? <ImportProgressBar progress={session.progress} onCancel={cancelImport} /> : null}
          <QualityReportPanel
            report={session.report}
            mapped={points?.length ?? 0}
            distinctCalls={session.totalCalls}
            rejected={session.rejected}
            headingRef={qualityHeading}
            onDownloadRejects={async () => downloadText(`${(session.datasetName ?? 'calls').replace(/[^\w.-]+/g, '_')}-rejects.csv`, await rejectsCsv(session.rejected))}
          />
        </aside>
      </main>
      <DropOverlay visible={dragging} />
      {review ? <MappingDialog proposal={review.proposal} onConfirm={closeReview} onCancel={() => closeReview(null)} /> : null}
      {settingsOpen ? (
        <SettingsDialog
          settings={settings}
          onClose={() => setSettingsOpen(false)}
          onSave={(s) => {
            saveSettings(s);
            setSettingsOpen(false);
          }}
        />
      ) : null}
    </div>
  );
}
