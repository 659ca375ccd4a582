/**
 * The built demo, served the way a user's static host would serve it: `vite build --mode demo` into dist/demo, then
 * scripts/serve.mjs (a plain static file server: no Vite, no SPA fallback) under the sub-path /demo/.
 * The build runs once per test process (about a second).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
/** Extra static servers use their own port: DEMO_PORT, else 4450. */
export const DEMO_PORT = Number(process.env.DEMO_PORT ?? 4450);
export const DEMO_BASE = '/demo/';
export const DEMO_ORIGIN = `http://127.0.0.1:${DEMO_PORT}`;
export const DEMO_URL = `${DEMO_ORIGIN}${DEMO_BASE}`;
export const SCREENSHOTS = `${root}test-results/screenshots`;

let built = false;

export function buildDemo(): void {
  if (built) return;
  execFileSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--mode', 'demo', '--logLevel', 'error'], { cwd: root, stdio: 'inherit' });
  mkdirSync(SCREENSHOTS, { recursive: true });
  built = true;
}

export interface StaticServer {
  url: string;
  close(): Promise<void>;
}

export async function serveDemo(): Promise<StaticServer> {
  buildDemo();
  const child: ChildProcess = spawn(process.execPath, ['scripts/serve.mjs', 'dist/demo', '--port', String(DEMO_PORT), '--base', DEMO_BASE], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d) => (stderr += String(d)));
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`The static server exited (${child.exitCode}): ${stderr.trim() || 'no output'}. Is port ${DEMO_PORT} in use? Set DEMO_PORT.`);
    try {
      const res = await fetch(DEMO_URL);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill();
      throw new Error(`The static server did not answer at ${DEMO_URL} within 15 s: ${stderr.trim()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url: DEMO_URL,
    close: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill();
      }),
  };
}
