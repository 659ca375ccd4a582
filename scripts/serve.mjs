#!/usr/bin/env node
// A plain static file server (no Vite, no SPA fallback) for the built demo and for tests that need
// "any static host": `node scripts/serve.mjs <dir> [--port 4173] [--base /demo/] [--isolate] [--cors]`.
// --isolate adds COOP/COEP (cross-origin isolation, for multi-threaded WASM); --cors allows other origins.
import { createServer } from 'node:http';
import { createReadStream, statSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    port: { type: 'string' }, host: { type: 'string' }, base: { type: 'string' }, 'open-path': { type: 'string' },
    isolate: { type: 'boolean' }, cors: { type: 'boolean' },
  },
});
const root = resolve(positionals[0] ?? '.');
const port = Number(values.port ?? process.env.PORT ?? 4173);
const host = values.host ?? '127.0.0.1';
let base = values.base ?? '/';
if (!base.endsWith('/')) base += '/';
const openPath = values['open-path'] ?? '/';

const types = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json; charset=utf-8', '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm', '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8', '.md': 'text/markdown; charset=utf-8', '.gguf': 'application/octet-stream',
  '.webmanifest': 'application/manifest+json',
};

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://x');
  const headers = {};
  if (values.isolate) Object.assign(headers, { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' });
  if (values.cors) Object.assign(headers, { 'Access-Control-Allow-Origin': '*', 'Cross-Origin-Resource-Policy': 'cross-origin' });
  if (!url.pathname.startsWith(base)) {
    if (url.pathname === base.slice(0, -1)) return res.writeHead(301, { Location: base }).end();
    return res.writeHead(404, headers).end('not found');
  }
  let rel;
  try { rel = decodeURIComponent(url.pathname.slice(base.length)); } catch { return res.writeHead(400, headers).end('bad path'); }
  let file = normalize(join(root, rel));
  if (file !== root && !file.startsWith(root + sep)) return res.writeHead(403, headers).end('forbidden');
  let stat;
  try {
    stat = statSync(file);
    if (stat.isDirectory()) { file = join(file, 'index.html'); stat = statSync(file); }
  } catch {
    return res.writeHead(404, { ...headers, 'Content-Type': 'text/plain' }).end('not found');
  }
  res.writeHead(200, { ...headers, 'Content-Type': types[extname(file)] ?? 'application/octet-stream', 'Content-Length': stat.size, 'Cache-Control': 'no-cache' });
  if (req.method === 'HEAD') return res.end();
  createReadStream(file).pipe(res);
});

server.listen(port, host, () => {
  const address = server.address();
  console.log(`Serving ${root} at http://${host}:${address.port}${base}${openPath.replace(/^\//, '')}  (Ctrl+C to stop)`);
});
