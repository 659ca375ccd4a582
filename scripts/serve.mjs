#!/usr/bin/env node
// A plain static file server (no Vite, no SPA fallback) for the built demo and for tests that need
// "any static host": `node scripts/serve.mjs <dir> [--port 4173] [--base /demo/] [--isolate] [--cors] [--csp strict|<policy>]`.
// --isolate adds COOP/COEP (cross-origin isolation, for multi-threaded WASM); --cors allows other origins;
// --csp sends a Content-Security-Policy header with every response: `strict` is the policy the README documents
// (STRICT_CSP below), anything else is sent as given. The server adds `report-uri /__csp-report` and prints every
// violation report it receives (the page's and its workers') as a line `CSP violation: {…}`.
import { createServer } from 'node:http';
import { createReadStream, statSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    port: { type: 'string' }, host: { type: 'string' }, base: { type: 'string' }, 'open-path': { type: 'string' },
    isolate: { type: 'boolean' }, cors: { type: 'boolean' }, csp: { type: 'string' },
  },
});

/** The strict policy documented in the README: no inline script or style, no eval; WebAssembly may compile; workers
 *  from this origin or a blob: bootstrap; fetches only to this origin and WebLLM's model hosts. */
const STRICT_CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self' blob:",
  "connect-src 'self' https://huggingface.co https://*.huggingface.co https://*.hf.co https://raw.githubusercontent.com",
  "style-src 'self'",
  "img-src 'self' data:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
const policy = values.csp === undefined ? undefined : values.csp === 'strict' ? STRICT_CSP : values.csp;
const csp = policy && `${policy}; report-uri /__csp-report`;
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
  if (csp && req.method === 'POST' && url.pathname === '/__csp-report') {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      console.log(`CSP violation: ${body.replace(/\s+/g, ' ')}`);
      res.writeHead(204).end();
    });
    return;
  }
  const headers = {};
  if (values.isolate) Object.assign(headers, { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' });
  if (values.cors) Object.assign(headers, { 'Access-Control-Allow-Origin': '*', 'Cross-Origin-Resource-Policy': 'cross-origin' });
  if (csp) headers['Content-Security-Policy'] = csp;
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
  console.log(`Serving ${root} at http://${host}:${address.port}${base}${openPath.replace(/^\//, '')}  (Ctrl+C to stop)${policy ? `\nContent-Security-Policy: ${policy}` : ''}`);
});
