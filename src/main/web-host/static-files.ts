// Serves the built renderer (out/renderer). Every path is resolved inside the renderer folder, and
// symlinks are followed only if they stay inside it. Paths without a file extension fall back to
// index.html, so a reload on any in-app path still opens the app.
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { CodedError } from '../../shared/result.ts';
import { sendError } from './http-io.ts';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

export interface StaticFiles {
  serve(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void>;
}

/** Fails with RENDERER_NOT_BUILT when the folder holds no index.html. */
export async function openStaticFiles(rendererDir: string): Promise<StaticFiles> {
  let root: string;
  try {
    root = await realpath(resolve(rendererDir));
    if (!(await stat(join(root, 'index.html'))).isFile()) throw new Error('not a file');
  } catch {
    throw new CodedError(
      'RENDERER_NOT_BUILT',
      `No built renderer at ${rendererDir} (index.html is missing): run \`npm run build\` first`,
    );
  }
  const indexFile = join(root, 'index.html');

  /** The real file a URL path names, or null when it is outside the root or not a file. */
  async function locate(pathname: string): Promise<string | null> {
    const candidate = resolve(root, `.${pathname}`);
    if (candidate !== root && !candidate.startsWith(root + sep)) return null;
    try {
      const real = await realpath(candidate);
      if (!real.startsWith(root + sep)) return null;
      return (await stat(real)).isFile() ? real : null;
    } catch {
      return null;
    }
  }

  return {
    async serve(req, res, pathname) {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.setHeader('Allow', 'GET, HEAD');
        sendError(res, 405, { code: 'METHOD_NOT_ALLOWED', message: 'Only GET and HEAD are served here' });
        return;
      }
      let decoded: string;
      try {
        decoded = decodeURIComponent(pathname);
      } catch {
        sendError(res, 400, { code: 'BAD_REQUEST', message: 'The path is not valid URL encoding' });
        return;
      }
      if (decoded.includes('\0') || decoded.includes('\\') || decoded.split('/').includes('..')) {
        sendError(res, 404, { code: 'NOT_FOUND', message: 'No such file' });
        return;
      }

      let file = decoded === '/' ? indexFile : await locate(decoded);
      if (file === null && extname(decoded) === '') file = indexFile;
      if (file === null) {
        sendError(res, 404, { code: 'NOT_FOUND', message: 'No such file' });
        return;
      }

      const info = await stat(file);
      res.statusCode = 200;
      res.setHeader('Content-Type', contentTypes[extname(file).toLowerCase()] ?? 'application/octet-stream');
      res.setHeader('Content-Length', info.size);
      // Built assets carry a content hash in their names; index.html must always be fresh.
      const hashedAsset = file.startsWith(join(root, 'assets') + sep);
      res.setHeader('Cache-Control', hashedAsset ? 'public, max-age=31536000, immutable' : 'no-cache');
      if (req.method === 'HEAD') {
        res.end();
        return;
      }
      await pipeline(createReadStream(file), res);
    },
  };
}
