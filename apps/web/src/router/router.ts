/**
 * Client-side routing on the history API: the path picks the view and the
 * search string carries view state (`/devices?q=...`), so that a copied
 * link reproduces the view. The API serves index.html for every path.
 */
import { useSyncExternalStore } from 'react';
import { readSearchParam, type SearchParam } from './searchParam.ts';

/** The current location, as the views read it. */
export interface Location {
  path: string;
  search: string;
}

const listeners = new Set<() => void>();
let snapshot: Location = read();

function read(): Location {
  return { path: window.location.pathname, search: window.location.search };
}

function emit(): void {
  snapshot = read();
  for (const listener of listeners) listener();
}

window.addEventListener('popstate', emit);

/** Goes to `to` (a path with an optional search); `replace` keeps history short. */
export function navigate(
  to: string,
  options: { replace?: boolean } = {},
): void {
  const current = window.location.pathname + window.location.search;
  if (to === current) return;

  if (options.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  emit();
}

function subscribeLocation(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The current location; re-renders on every navigation. */
export function useLocation(): Location {
  return useSyncExternalStore(subscribeLocation, () => snapshot);
}

/** One search parameter of the current location (see readSearchParam). */
export function useSearchParam(name: string): SearchParam {
  const { search } = useLocation();
  return readSearchParam(search, name);
}

/** The path with one search parameter set (or removed when empty). */
export function withSearchParam(
  path: string,
  name: string,
  value: string,
): string {
  const params = new URLSearchParams(window.location.search);
  if (value) params.set(name, value);
  else params.delete(name);
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}
