import { describeSavedAt, useCacheState } from '../state/cache-flow';

/**
 * Says that the dataset on screen came from this browser's storage, not from a file chosen in
 * this session (issue #9): an analyst must know the figures are from the copy kept at that time.
 */
export function RestoredNote({ variant }: { variant: 'header' | 'panel' }) {
  const { restored } = useCacheState();
  if (!restored) return null;
  const when = describeSavedAt(restored.savedAt);
  if (variant === 'header') {
    return (
      <span className="muted small" data-testid="restored-note" title="Settings → Forget cached dataset removes the copy kept in this browser.">
        Restored from this browser's storage, loaded {when}
      </span>
    );
  }
  return (
    <p className="muted small" data-testid="restored-note-panel">
      Restored from this browser's storage, loaded {when}; the file was not read again. Settings → Forget cached dataset removes the copy.
    </p>
  );
}
