/**
 * The signed-in operator key. Kept in sessionStorage so it lasts for the tab
 * and is gone when the tab closes; listeners hear sign-in and sign-out.
 */
const STORAGE_KEY = 'rollcall.operatorKey';

type Listener = (key: string | null) => void;
const listeners = new Set<Listener>();

/** The stored operator key, or null when signed out. */
export function currentKey(): string | null {
  try {
    return window.sessionStorage.getItem(STORAGE_KEY);
  } catch {
    // Storage can be disabled by the browser; then nobody is signed in.
    return null;
  }
}

/** Stores (or with null, removes) the operator key and notifies listeners. */
export function setKey(key: string | null): void {
  if (key === null) window.sessionStorage.removeItem(STORAGE_KEY);
  else window.sessionStorage.setItem(STORAGE_KEY, key);
  for (const listener of listeners) listener(key);
}

/** Calls `listener` on every sign-in and sign-out; returns the unsubscribe. */
export function onKeyChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
