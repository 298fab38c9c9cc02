import { useEffect, useState } from 'react';
import { droppedFolders, openDroppedFolders } from './folder-drop';

/**
 * Drag-and-drop anywhere on the page. A counter (not a boolean) tracks dragenter/leave,
 * because entering a child element fires leave on the parent.
 */
export function useWindowDrop(onFiles: (files: File[]) => void): boolean {
  const [dragging, setDragging] = useState(false);
  useEffect(() => {
    let depth = 0;
    const hasFiles = (e: DragEvent) => [...(e.dataTransfer?.types ?? [])].includes('Files');
    const enter = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth++;
      setDragging(true);
    };
    const leave = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0) setDragging(false);
    };
    const over = (e: DragEvent) => {
      if (hasFiles(e)) e.preventDefault();
    };
    const drop = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth = 0;
      setDragging(false);
      // A dropped folder is a prepared archive: its months are offered, not its files read.
      const folders = droppedFolders(e.dataTransfer);
      if (folders) {
        void openDroppedFolders(folders);
        return;
      }
      const files = [...(e.dataTransfer?.files ?? [])];
      if (files.length) onFiles(files);
    };
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragleave', leave);
    window.addEventListener('dragover', over);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('dragover', over);
      window.removeEventListener('drop', drop);
    };
  }, [onFiles]);
  return dragging;
}

export function DropOverlay({ visible }: { visible: boolean }) {
  if (!visible) return null;
  return (
    <div className="drop-overlay" aria-hidden="true">
      <div className="drop-overlay__card">
        <strong>Drop to load</strong>
        <span>Calls (CSV, Parquet) · areas (GeoJSON) · GTFS .txt files · a prepared archive folder</span>
        <span className="muted">Files stay on this computer.</span>
      </div>
    </div>
  );
}
