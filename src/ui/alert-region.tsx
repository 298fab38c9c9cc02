/** One live region for analyst-facing errors; it stays in the DOM so screen readers hear updates. */
export function AlertRegion({ message, onDismiss }: { message: string | null; onDismiss: () => void }) {
  return (
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
  );
}
