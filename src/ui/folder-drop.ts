import { isArchiveListing, type ListedFile, openArchiveListing } from '../state/archive-import';
import { updateSession } from '../state/session-store';

/**
 * A dropped folder arrives as a directory entry, not as files (dataTransfer.files holds one
 * unreadable stub for it). The entries must be taken during the drop event itself; walking
 * them can happen afterwards.
 */
export function droppedFolders(dt: DataTransfer | null): FileSystemDirectoryEntry[] | null {
  const dirs = [...(dt?.items ?? [])].map((i) => i.webkitGetAsEntry?.()).filter((e): e is FileSystemDirectoryEntry => Boolean(e?.isDirectory));
  return dirs.length ? dirs : null;
}

export async function openDroppedFolders(dirs: readonly FileSystemDirectoryEntry[]): Promise<void> {
  const listed: ListedFile[] = [];
  for (const d of dirs) await walk(d, d.name, listed);
  if (!isArchiveListing(listed)) {
    updateSession({
      error: `${dirs.map((d) => d.name).join(', ')}: a folder is opened only when it is an archive prepared by \`npm run prepare-archive\` (manifest.json with calls/year=…/month=… inside). To load other files, drop the files themselves.`,
    });
    return;
  }
  await openArchiveListing(listed);
}

async function walk(dir: FileSystemDirectoryEntry, prefix: string, out: ListedFile[]): Promise<void> {
  const reader = dir.createReader();
  // readEntries hands out the listing in batches (100 in Chromium) until an empty one.
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) return;
    for (const e of batch) {
      const path = `${prefix}/${e.name}`;
      if (e.isDirectory) await walk(e as FileSystemDirectoryEntry, path, out);
      else out.push({ path, file: await new Promise<File>((resolve, reject) => (e as FileSystemFileEntry).file(resolve, reject)) });
    }
  }
}
