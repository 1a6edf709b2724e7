import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { generatePng } from '../google-drive/generated-png.js';

export interface UrlOriginOptions {
  files: number;
  fileSize: number;
  /** Delay before each answer (index, HEAD and GET alike): a remote server's latency. */
  latencyMs: number;
}

/** One Last-Modified for every file, so rclone's modtimes are the same each round. */
const LAST_MODIFIED = new Date(Date.UTC(2026, 0, 1)).toUTCString();

/** The file name of the i-th image (0-based): zero-padded, so listings sort as they are numbered. */
export function originFileName(index: number): string {
  return `image-${String(index).padStart(6, '0')}.png`;
}

/** The bytes the origin serves under that name: a PNG derived from the name and size only. */
export function originBody(name: string, fileSize: number): Buffer {
  return Buffer.concat([...generatePng(name, fileSize)]);
}

/** An HTML page linking every file, as a web server's directory listing does: what rclone's http backend reads. */
function indexPage(files: number): string {
  const links = Array.from({ length: files }, (_, i) => `<a href="${originFileName(i)}">${originFileName(i)}</a>`);
  return `<!doctype html><html><head><title>Index of /</title></head><body><pre>\n${links.join('\n')}\n</pre></body></html>\n`;
}

const FILE_PATH = /^\/(image-(\d{6})\.png)$/;

/**
 * An HTTP origin serving `files` deterministic PNGs of `fileSize` bytes at /image-NNNNNN.png and their index at /,
 * each answer after `latencyMs`: the source of the benchmark's URL-list import and of rclone's `:http:` copy.
 * Bodies are generated per request, so memory stays flat however many files it serves.
 */
export function createUrlOrigin(options: UrlOriginOptions): Server {
  const index = indexPage(options.files);
  const answer = (req: IncomingMessage, res: ServerResponse): void => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (path === '/' || path === '/index.html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(index) }).end(index);
      return;
    }
    const match = FILE_PATH.exec(path);
    if (!match?.[1] || Number(match[2]) >= options.files) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': 'image/png', 'content-length': options.fileSize, 'last-modified': LAST_MODIFIED });
    // A HEAD (rclone's listing asks each file's size) costs no body.
    if (req.method === 'HEAD') res.end();
    else res.end(originBody(match[1], options.fileSize));
  };
  return createServer((req, res) => {
    void sleep(options.latencyMs).then(() => answer(req, res));
  });
}
