/** The browser's storage for this site: how much is used and free, and whether it is persistent. */

export interface StorageState {
  usage: number;
  quota: number;
  /** undefined: the browser cannot tell. */
  persisted: boolean | undefined;
}

export async function readStorageState(): Promise<StorageState | undefined> {
  if (!navigator.storage?.estimate) return undefined;
  const { usage = 0, quota = 0 } = await navigator.storage.estimate();
  const persisted = navigator.storage.persisted ? await navigator.storage.persisted() : undefined;
  return { usage, quota, persisted };
}

/**
 * Asks the browser to keep this site's storage under pressure (so cached models are not evicted).
 * Chromium grants or denies without a prompt (engagement, bookmarks, installed app); Firefox asks the user.
 */
export async function requestPersistentStorage(): Promise<boolean> {
  if (!navigator.storage?.persist) throw new Error('This browser has no persistent-storage API (navigator.storage.persist).');
  return navigator.storage.persist();
}
