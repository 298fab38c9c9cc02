import { useEffect, useRef, useState } from 'react';
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
