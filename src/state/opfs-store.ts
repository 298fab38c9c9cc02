import type { CacheStore } from './dataset-cache';

/**
 * The dataset cache's files in the origin-private file system (OPFS): storage of this site in
 * this browser profile on this machine, invisible to other sites and to the user's folders,
 * cleared with the site's data. Null where the browser offers no OPFS or no writable file
 * streams from the page (older Safari): the app then simply does not cache.
 */
const DIR = 'callsight-dataset-cache';

type MovableHandle = FileSystemFileHandle & { move?: (name: string) => Promise<void> };
type IterableDir = FileSystemDirectoryHandle & { keys(): AsyncIterable<string> };

export async function opfsStore(): Promise<CacheStore | null> {
  if (typeof navigator === 'undefined' || typeof navigator.storage?.getDirectory !== 'function') return null;
  let dir: FileSystemDirectoryHandle;
  try {
    dir = await (await navigator.storage.getDirectory()).getDirectoryHandle(DIR, { create: true });
  } catch {
    // Private windows and some site settings refuse OPFS: no cache, no error for the analyst.
    return null;
  }
  if (typeof FileSystemFileHandle === 'undefined' || typeof FileSystemFileHandle.prototype.createWritable !== 'function') return null;

  const write = async (name: string, bytes: Uint8Array) => {
    const w = await (await dir.getFileHandle(name, { create: true })).createWritable();
    try {
      await w.write(bytes as Uint8Array<ArrayBuffer>);
      await w.close();
    } catch (e) {
      await w.abort().catch(() => {});
      throw e;
    }
  };
  const read = async (name: string) => {
    try {
      return new Uint8Array(await (await (await dir.getFileHandle(name)).getFile()).arrayBuffer());
    } catch (e) {
      if ((e as { name?: string }).name === 'NotFoundError') return null;
      throw e;
    }
  };
  const remove = async (name: string) => {
    try {
      await dir.removeEntry(name);
    } catch (e) {
      if ((e as { name?: string }).name !== 'NotFoundError') throw e;
    }
  };
  return {
    read,
    write,
    remove,
    rename: async (from, to) => {
      const handle = (await dir.getFileHandle(from)) as MovableHandle;
      if (typeof handle.move === 'function') {
        try {
          await handle.move(to);
        } catch {
          // Browsers that refuse to move onto an existing file: for a moment there is no
          // manifest (so no cache), never a manifest naming half-written files.
          await remove(to);
          await handle.move(to);
        }
        return;
      }
      // Without move(): createWritable() writes to a swap file that replaces the target on
      // close(), so the copy is all-or-nothing too.
      const bytes = await read(from);
      if (!bytes) throw new Error(`${from} vanished before it was renamed`);
      await write(to, bytes);
      await remove(from);
    },
    list: async () => {
      const names: string[] = [];
      for await (const name of (dir as IterableDir).keys()) names.push(name);
      return names;
    },
  };
}

/** Bytes this site may still store, or null when the browser does not say. */
export async function freeStorageBytes(): Promise<number | null> {
  try {
    const { quota, usage } = await navigator.storage.estimate();
    return quota === undefined || usage === undefined ? null : Math.max(0, quota - usage);
  } catch {
    return null;
  }
}
