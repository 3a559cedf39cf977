// The built renderer's files over HTTP, for the browser-mode server and the review share server alike: public (they
// hold no secrets), confined to the renderer folder, with the one CSP and security headers; index.html is never cached,
// hashed assets forever.
import { readFile, stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { securityHeaders, sendText } from './http-responses';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
};

export interface StaticOptions {
  /** Extension-less paths that are no file answer index.html (client-side routes); otherwise they are 404s. */
  readonly appRoutes: boolean;
}

export async function serveStatic(
  rendererDir: string,
  pathname: string,
  res: ServerResponse,
  options: StaticOptions,
): Promise<void> {
  const root = resolve(rendererDir);
  let relative: string;
  try {
    relative = decodeURIComponent(pathname);
  } catch {
    sendText(res, 400, 'Bad path');
    return;
  }
  if (relative === '/' || relative === '') relative = '/index.html';
  const file = normalize(join(root, relative));
  if (!file.startsWith(root + sep)) {
    sendText(res, 404, 'Not found');
    return;
  }
  let target = file;
  const info = await stat(target).catch(() => undefined);
  if (!info?.isFile()) {
    // Missing assets (with an extension) are real 404s; so is every other path where there are no client-side routes.
    if (extname(relative) !== '' || !options.appRoutes) {
      sendText(res, 404, 'Not found');
      return;
    }
    target = join(root, 'index.html');
  }
  const bytes = await readFile(target);
  res.writeHead(200, {
    ...securityHeaders(),
    'content-type': MIME[extname(target)] ?? 'application/octet-stream',
    'cache-control': target.endsWith('index.html') ? 'no-store' : 'public, max-age=31536000, immutable',
  });
  res.end(bytes);
}
