import type { RollcallConfig } from '../config/defaults.ts';
import { RollcallError } from '../errors.ts';

/** A Relay connection page, before GraphQL field resolution. */
export interface Connection<T> {
  edges: Array<{ cursor: string; node: T }>;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  /**
   * The total over all pages, or a function computing it: GraphQL's
   * default resolver calls it only when a client selects `totalCount`,
   * so a page alone never pays for counting a large fleet.
   */
  totalCount: number | (() => Promise<number>);
}

/**
 * An opaque cursor: base64url of `kind:key`. The kind keeps a device
 * cursor from being replayed against another list.
 */
export function encodeCursor(kind: string, key: string | number): string {
  return Buffer.from(`${kind}:${key}`, 'utf8').toString('base64url');
}

/** The key inside a cursor; BAD_USER_INPUT for anything else. */
export function decodeCursor(kind: string, cursor: string): string {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const prefix = `${kind}:`;
  if (!text.startsWith(prefix) || text.length === prefix.length) {
    throw new RollcallError('BAD_USER_INPUT', 'The cursor is not valid here', {
      argument: 'after',
    });
  }

  return text.slice(prefix.length);
}

/** A numeric cursor key, as used by the history lists. */
export function decodeIdCursor(kind: string, cursor: string): number {
  const id = Number(decodeCursor(kind, cursor));
  if (!Number.isSafeInteger(id) || id < 1) {
    throw new RollcallError('BAD_USER_INPUT', 'The cursor is not valid here', {
      argument: 'after',
    });
  }

  return id;
}

/**
 * The page size `first` asks for, checked against
 * `server.max_page_size`: a negative size or one over the cap is
 * BAD_USER_INPUT naming the cap.
 */
export function pageSize(
  first: number | null | undefined,
  config: RollcallConfig,
  fallback = 50,
): number {
  const size = first ?? fallback;
  const max = config.server.max_page_size;
  if (size < 0 || size > max) {
    throw new RollcallError(
      'BAD_USER_INPUT',
      `"first" must be between 0 and ${max}; got ${size}`,
      { argument: 'first', max },
    );
  }

  return size;
}

/**
 * Builds the connection from up to `size + 1` rows in key order: the extra
 * row only says that another page exists.
 */
export function toConnection<R, T>(
  rows: R[],
  size: number,
  totalCount: Connection<T>['totalCount'],
  cursorOf: (row: R) => string,
  nodeOf: (row: R) => T,
): Connection<T> {
  const page = rows.slice(0, size);
  const edges = page.map((row) => ({
    cursor: cursorOf(row),
    node: nodeOf(row),
  }));
  return {
    edges,
    pageInfo: {
      hasNextPage: rows.length > size,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    totalCount,
  };
}
