import { updateSession, useSession } from '../state/session-store';

/**
 * One live region for analyst-facing errors (it stays in the DOM so screen readers hear
 * updates), and a polite one beside it for notices such as "Added march.csv to the dataset".
 */
export function AlertRegion({ message, onDismiss }: { message: string | null; onDismiss: () => void }) {
  const { notices } = useSession();
  // One wrapper: the app grid gives this region a single row between header and main.
  return (
    <div className="alert-stack">
      <div role="alert" className={message ? 'alert alert--visible' : 'alert'} data-testid="alert">
        {message ? (
          <>
            <p>{message}</p>
            <button type="button" className="button button--quiet" onClick={onDismiss} aria-label="Dismiss message">
              Dismiss
            </button>
          </>
        ) : null}
      </div>
      <div role="status" className={notices.length && !message ? 'alert alert--visible alert--notice' : 'alert'} data-testid="notice">
        {notices.length && !message ? (
          <>
            <p>{notices.join(' ')}</p>
            <button type="button" className="button button--quiet" onClick={() => updateSession({ notices: [] })} aria-label="Dismiss notice">
              Dismiss
            </button>
          </>
        ) : null}
      </div>
    </div>
  );
}
