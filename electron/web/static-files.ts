import { createReadStream, openSync, realpathSync, statSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { extname, join, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

export const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self' ws://127.0.0.1:*; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

/** Every response of the browser-mode server, errors included, carries the security headers. */
export function sendText(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', ...headers }).end(text);
}

/** The request path relative to the folder, or null when it is not valid percent-encoding. */
function requestPath(urlPath: string): string | null {
  try {
    return decodeURIComponent(urlPath.split('?')[0] ?? '/');
  } catch {
    return null;
  }
}

/** The real path (symlinks resolved) of `path` if it lies inside the real `root`, else null; null too when it does not exist. */
function realInside(root: string, path: string): string | null {
  let real: string;
  try {
    real = realpathSync(path);
  } catch {
    return null;
  }
  return real === root || real.startsWith(root + sep) ? real : null;
}

/**
 * Serves the built renderer; refuses anything outside its folder, symlinks that lead out of it included:
 * the path is resolved to its real location before it is checked, and that real file is what is opened.
 */
export function serveStatic(root: string, urlPath: string, res: ServerResponse): void {
  const rel = requestPath(urlPath);
  if (rel === null || rel.includes('\0')) {
    sendText(res, 400, 'Bad request: the address is not valid. Check the link.');
    return;
  }
  let realRoot: string;
  try {
    realRoot = realpathSync(root);
  } catch {
    sendText(res, 500, 'The renderer folder is missing. Run "npm run build:renderer" and restart Stockbook.');
    return;
  }
  let file = realInside(realRoot, join(realRoot, rel));
  if (file === null) {
    sendText(res, 404, 'Not found');
    return;
  }
  let fd: number;
  try {
    // A folder gets the app's own page (the renderer routes by the URL fragment).
    if (!statSync(file).isFile()) file = realInside(realRoot, join(realRoot, 'index.html'));
    if (file === null || !statSync(file).isFile()) throw new Error('index.html is missing');
    fd = openSync(file, 'r');
  } catch {
    sendText(res, 500, 'The renderer is not built completely. Run "npm run build:renderer" and restart Stockbook.');
    return;
  }
  const stream = createReadStream('', { fd });
  stream.once('error', () => res.destroy());
  res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-cache' });
  stream.pipe(res);
}
