import { useState } from 'react';
import { readSavedViews, type SavedView, writeSavedViews } from '../state/view-url';

/** Saved views (this browser) and the link to the current one, to paste into an email. */
export function ViewsPanel({ currentQuery, onOpen }: { currentQuery: string; onOpen: (query: string) => void }) {
  const [views, setViews] = useState<SavedView[]>(() => readSavedViews());
  const [name, setName] = useState('');
  const link = `${location.origin}${location.pathname}${currentQuery ? `#${currentQuery}` : ''}`;
  const save = () => {
    const trimmed = name.trim();
    if (!trimmed) return;
    const next = [{ name: trimmed.slice(0, 80), query: currentQuery, savedAt: new Date().toISOString() }, ...views.filter((v) => v.name !== trimmed)];
    writeSavedViews(next);
    setViews(next);
    setName('');
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
      <h3>Saved in this browser</h3>
      {views.length === 0 ? <p className="muted small">No saved views yet.</p> : null}
      <ul className="saved-views">
        {views.map((v) => (
          <li key={v.name}>
            <button type="button" className="link-button" onClick={() => onOpen(v.query)}>
              {v.name}
            </button>
            <span className="muted small"> {v.savedAt.slice(0, 10)}</span>
            <button
              type="button"
              className="button button--small"
              aria-label={`Delete saved view ${v.name}`}
              onClick={() => {
                const next = views.filter((x) => x.name !== v.name);
                writeSavedViews(next);
                setViews(next);
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
