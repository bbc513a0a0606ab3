import { createReadStream, existsSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The dashboard's production build. */
export const WEB_DIST_DIR = join(
  dirname(fileURLToPath(import.meta.url)),
  '../../../web/dist',
);

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/**
 * Serves the built dashboard, answering unknown paths with index.html so
 * that client-side routes survive a reload. Returns false when there is no
 * build to serve.
 */
export function serveStatic(
  request: IncomingMessage,
  response: ServerResponse,
  root = WEB_DIST_DIR,
): boolean {
  const index = join(root, 'index.html');
  if (!existsSync(index)) return false;

  const pathname = decodeURIComponent(
    new URL(request.url ?? '/', 'http://localhost').pathname,
  );
  const candidate = normalize(join(root, pathname));
  const isInside = candidate === root || candidate.startsWith(root + sep);
  const file =
    isInside && existsSync(candidate) && statSync(candidate).isFile()
      ? candidate
      : index;

  const isAsset = file.includes(`${sep}assets${sep}`);
  response.writeHead(200, {
    'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
    'cache-control': isAsset
      ? 'public, max-age=31536000, immutable'
      : 'no-cache',
    'x-content-type-options': 'nosniff',
  });
  createReadStream(file).pipe(response);
  return true;
}
