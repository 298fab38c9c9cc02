import { useState } from 'react';
import { deleteView, listSavedViews, type SavedView, saveView } from '../state/saved-views';
import type { ViewState } from '../state/url';

function read(): { views: SavedView[]; messages: string[] } {
  return listSavedViews();
}

/** Saved views (this browser) and the link to the current one, to paste into an email. */
export function ViewsPanel({ current, currentQuery, onOpen }: { current: ViewState; currentQuery: string; onOpen: (view: ViewState) => void }) {
  const [{ views, messages }, setSaved] = useState(read);
  const [name, setName] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const link = `${location.origin}${location.pathname}#${currentQuery}`;
  const save = () => {
    try {
      saveView(name, current);
      setSaved(read());
      setName('');
      setProblem(null);
    } catch (e) {
      setProblem(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <section className="panel-section" aria-labelledby="views-heading">
      <h2 id="views-heading">Views</h2>
      <label className="stacked-field">
        Link to this view
        <input type="text" readOnly value={link} data-testid="view-link" onFocus={(e) => e.currentTarget.select()} />
      </label>
      <form
        className="save-view"
        onSubmit={(e) => {
          e.preventDefault();
          save();
        }}
      >
        <label className="stacked-field">
          Save this view as
          <input type="text" value={name} maxLength={80} onChange={(e) => setName(e.target.value)} placeholder="e.g. Downtown nights, disorder" />
        </label>
        <button type="submit" className="button button--quiet" disabled={!name.trim()}>
          Save view
        </button>
      </form>
      {problem ? <p className="field-error">{problem}</p> : null}
      {messages.map((m) => (
        <p key={m} className="muted small">
          {m}
        </p>
      ))}
      <h3>Saved in this browser</h3>
      {views.length === 0 ? <p className="muted small">No saved views yet.</p> : null}
      <ul className="saved-views">
        {[...views].reverse().map((v) => (
          <li key={v.name}>
            <button type="button" className="link-button" onClick={() => onOpen(v.state)}>
              {v.name}
            </button>
            <span className="muted small"> {v.savedAt.slice(0, 10)}</span>
            <button
              type="button"
              className="button button--small"
              aria-label={`Delete saved view ${v.name}`}
              onClick={() => {
                try {
                  deleteView(v.name);
                  setSaved(read());
                } catch (e) {
                  setProblem(e instanceof Error ? e.message : String(e));
                }
              }}
            >
              Delete
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
