import { useEffect, useRef, useState } from 'react';
import { describeSavedAt, forgetCachedDataset, refreshCacheStatus, useCacheState } from '../state/cache-flow';
import { type Settings, validTileStyleUrl } from '../state/settings';

export function SettingsDialog({ settings, onSave, onClose }: { settings: Settings; onSave: (s: Settings) => void; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const [enabled, setEnabled] = useState(settings.tileStyleUrl !== null);
  const [url, setUrl] = useState(settings.tileStyleUrl ?? '');
  useEffect(() => ref.current?.showModal(), []);
  const parsed = validTileStyleUrl(url);
  const invalid = enabled && !parsed;
  return (
    <dialog ref={ref} className="settings-dialog" aria-labelledby="settings-title" onCancel={onClose}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (invalid) return;
          onSave({ tileStyleUrl: enabled ? parsed : null });
        }}
      >
        <h2 id="settings-title">Settings</h2>
        <fieldset>
          <legend>Basemap</legend>
          <label className="check">
            <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.currentTarget.checked)} />
            Use a tile server for the basemap
          </label>
          <p className="muted small">
            Off by default: Callsight then draws only your areas and transit lines and nothing leaves this computer. With a tile server, the map view (not your
            data) is requested from that server.
          </p>
          <p className="muted small">
            The published app only talks to its own address (its Content-Security-Policy). For a tile server to work, whoever deploys Callsight must add that server's
            origin to the policy's connect-src and img-src (see SECURITY.md); otherwise the basemap stays blank.
          </p>
          <label htmlFor="tile-url" className="stacked-field">
            MapLibre style URL (https)
            <input
              id="tile-url"
              type="url"
              value={url}
              disabled={!enabled}
              placeholder="https://tiles.example.org/styles/basic/style.json"
              onChange={(e) => setUrl(e.currentTarget.value)}
              aria-invalid={invalid}
              aria-describedby="tile-url-error"
            />
          </label>
          <p id="tile-url-error" className="field-error" role="status">
            {invalid ? 'Enter a full https:// URL of a MapLibre style JSON.' : ''}
          </p>
        </fieldset>
        <CachedDatasetSection />
        <footer className="dialog-foot">
          <button type="button" className="button button--quiet" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button--primary" disabled={invalid}>
            Save
          </button>
        </footer>
      </form>
    </dialog>
  );
}

/**
 * The dataset kept in this browser's storage (src/state/dataset-cache.ts): what it is, and a
 * button that removes it at once (not on Save: forgetting is not a setting to undo).
 */
function CachedDatasetSection() {
  const { status } = useCacheState();
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  useEffect(() => {
    void refreshCacheStatus();
  }, []);
  let text: string;
  if (status.kind === 'saved') {
    text = `${status.info.datasetName}: ${status.info.rows.toLocaleString('en-US')} calls, ${Math.max(1, Math.round(status.info.bytes / 1024 ** 2))} MB, kept ${describeSavedAt(status.info.savedAt)}.`;
  } else if (status.kind === 'saving') text = 'Keeping the dataset just loaded…';
  else if (status.kind === 'not-saved') text = status.reason;
  else if (status.kind === 'unavailable') text = 'This browser offers no private storage for this page (private window or site settings), so a reload needs the file again.';
  else text = done ? 'Removed. The dataset stays open until you reload; then the demo opens.' : 'None: the demo opens on a reload until you open a call log.';
  return (
    <fieldset>
      <legend>Dataset kept in this browser</legend>
      <p className="muted small">
        After a successful import, Callsight keeps a copy of the dataset in this browser's private storage for this site (on this computer only, never uploaded),
        so a reload or a crash does not need the file again. Clearing this site's data in the browser removes it too.
      </p>
      <p data-testid="cached-dataset" role="status">
        {text}
      </p>
      <button
        type="button"
        className="button button--quiet"
        disabled={busy || status.kind !== 'saved'}
        onClick={async () => {
          setBusy(true);
          await forgetCachedDataset();
          setBusy(false);
          setDone(true);
        }}
      >
        Forget cached dataset
      </button>
    </fieldset>
  );
}
