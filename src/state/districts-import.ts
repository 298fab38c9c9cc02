import { loadAreas } from '../data/load-geo';
import type { AreaFeature } from '../data/types';
import { classifyBoundary } from './classify-boundaries';
import { updateDistricts } from './districts';

/**
 * Routes a boundary file dropped on its own: districts/beats go to the overlay (calls are not
 * re-assigned), an unclear file waits for the analyst's choice, anything else returns null so
 * the import flow loads it as the areas exactly as before.
 */
export function routeBoundaryFile(file: { name: string; bytes: Uint8Array }, loadedAreas: readonly AreaFeature[] | null): string[] | null {
  // loadAreas may take ownership-free bytes; parse a copy so the areas path can still read them.
  const loaded = loadAreas({ name: file.name, bytes: file.bytes.slice() });
  const { kind, reason } = classifyBoundary({ fileName: file.name, nameProperty: loaded.nameProperty, features: loaded.areas, loadedAreas });
  if (kind === 'areas') return null;
  if (kind === 'ask') {
    updateDistricts({ pending: { file, reason } });
    return [`${file.name}: ${reason}. Choose in the Layers panel whether it replaces the neighbourhood areas or shows as a districts/beats layer.`];
  }
  updateDistricts({ features: loaded.areas, label: file.name, file, reason, pending: null, layer: { visible: true, opacity: 1 } });
  return [`${file.name} shows as a districts/beats layer (${reason}); calls stay assigned to the neighbourhood areas.`, ...loaded.warnings];
}

/** The analyst's answer to the pending question. */
export function acceptPendingAsDistricts(file: { name: string; bytes: Uint8Array }): void {
  const loaded = loadAreas({ name: file.name, bytes: file.bytes.slice() });
  updateDistricts({ features: loaded.areas, label: file.name, file, reason: 'you chose to show it as districts/beats', pending: null, layer: { visible: true, opacity: 1 } });
}
