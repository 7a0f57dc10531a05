import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The console the package ships: `dist/console/` (this file is in src/admin or dist/admin). */
export const DEFAULT_CONSOLE_DIR: string = fileURLToPath(
  new URL('../../dist/console/', import.meta.url),
);

/** Content types of the files a console is made of; anything else is sent as bytes. */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** The console's files, served from one directory. */
export interface StaticFiles {
  /**
   * Sends the file `path` names (`/` is `index.html`) for GET or HEAD; false, sending
   * nothing, when there is no such file.
   */
  serve(req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean>;
}

/**
 * Static files under `dir`: only regular files inside it, never a dot-file or a path that
 * climbs out; `Cache-Control: no-cache` (revalidated: the names carry no hash).
 */
export function createStaticFiles(dir: string): StaticFiles {
  const root = resolve(dir);
  return {
    async serve(req, res, path) {
      const file = fileOf(root, path);
      if (file === undefined) return false;
      const info = await stat(file).catch(() => undefined);
      if (info === undefined || !info.isFile()) return false;
      res.statusCode = 200;
      res.setHeader(
        'Content-Type',
        CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
      );
      res.setHeader('Content-Length', info.size);
      res.setHeader('Cache-Control', 'no-cache');
      if (req.method === 'HEAD') {
        res.end();
        return true;
      }
      await new Promise<void>((done) => {
        const stream = createReadStream(file);
        stream.once('error', () => {
          res.destroy();
          done();
        });
        stream.once('end', done);
        stream.pipe(res);
      });
      return true;
    },
  };
}

/** The file a URL path names inside `root`, or undefined for a path that may not be served. */
function fileOf(root: string, path: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined;
  const parts = decoded.split('/').filter((part) => part !== '');
  if (parts.some((part) => part.startsWith('.'))) return undefined;
  const file = resolve(root, ...(parts.length === 0 ? ['index.html'] : parts));
  return file.startsWith(root + sep) ? file : undefined;
}
