/**
 * Fresh apps as a page author makes them: the two packages built and packed exactly as `npm publish` would send
 * them, each app copied outside the workspace (a temp dir, so nothing resolves to the repo's sources or its
 * node_modules), `npm install <tarballs>` next to the app's own dependencies, the app's production build, and a
 * plain static server. Installs prefer npm's cache (CI keeps it warm), so a run needs the registry only once.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../../..', import.meta.url));

export interface PackedFile {
  path: string;
  size: number;
}
export interface Tarball {
  name: string;
  /** Absolute path of the .tgz. */
  file: string;
  /** Bytes of the .tgz. */
  packed: number;
  /** Bytes of its files, unpacked. */
  unpacked: number;
  files: PackedFile[];
}
export interface Packed {
  /** The temp dir holding the tarballs and the apps. */
  dir: string;
  core: Tarball;
  element: Tarball;
}

/** The environment for child npm / bundler runs: none of the `npm_*` settings of a surrounding `npm test`. */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));
}

/** Runs a command; on failure the error carries its output (the bundler's message is what a failing test should show). */
export function sh(command: string, args: string[], cwd: string, timeoutMs = 300_000): string {
  try {
    return execFileSync(command, args, { cwd, env: cleanEnv(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs, maxBuffer: 64 << 20 });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${e.stdout ?? ''}\n${e.stderr ?? ''}\n${e.message}`);
  }
}

/** Builds both packages (`npm run build:core`, `build:element`) and packs them into a new temp dir. */
export function buildAndPack(): Packed {
  sh('npm', ['run', 'build:core'], root);
  sh('npm', ['run', 'build:element'], root);
  const dir = mkdtempSync(join(tmpdir(), 'moa-fresh-apps-'));
  const report = JSON.parse(sh('npm', ['pack', '--json', '--pack-destination', dir, '-w', 'packages/core', '-w', 'packages/element'], root)) as {
    name: string;
    filename: string;
    size: number;
    unpackedSize: number;
    files: PackedFile[];
  }[];
  const tarball = (name: string): Tarball => {
    const r = report.find((t) => t.name === name);
    if (!r) throw new Error(`npm pack did not report ${name}`);
    return { name, file: join(dir, r.filename), packed: r.size, unpacked: r.unpackedSize, files: r.files };
  };
  return { dir, core: tarball('@attention-moa/core'), element: tarball('@attention-moa/element') };
}

/**
 * A fresh app from `template` (a folder with its package.json): copied into the temp dir, then `npm install` of the
 * two tarballs, which also installs the app's own dependencies (from npm's cache when it has them).
 */
export function createApp(packed: Packed, template: string, name: string): string {
  const app = join(packed.dir, name);
  cpSync(template, app, { recursive: true, filter: (src) => !/[/\\](node_modules|dist)$/.test(src) });
  sh('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', packed.core.file, packed.element.file], app);
  return app;
}

export interface Served {
  origin: string;
  stop(): void;
}

/** A plain static server (scripts/serve.mjs: no SPA fallback, real 404s) for `dir` on a free 127.0.0.1 port. */
export function serve(dir: string, options: { cors?: boolean } = {}): Promise<Served> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, [join(root, 'scripts/serve.mjs'), dir, '--port', '0', ...(options.cors ? ['--cors'] : [])], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      const m = /http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (m) resolve({ origin: `http://127.0.0.1:${m[1]}`, stop: () => child.kill() });
    });
    child.stderr!.on('data', (chunk) => (out += chunk));
    child.on('exit', (code) => reject(new Error(`serve.mjs ${dir} exited (${code}): ${out}`)));
  });
}

/** A long-running command (a dev server) started in `cwd`; resolves once `ready` matches its output. */
export function start(command: string, args: string[], cwd: string, ready: RegExp): Promise<{ match: RegExpExecArray; stop(): void }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let out = '';
    const onData = (chunk: Buffer) => {
      out += chunk;
      const match = ready.exec(out.replace(/\x1b\[[0-9;]*m/g, ''));
      if (match) resolve({ match, stop: () => void process.kill(-child.pid!, 'SIGTERM') });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`${command} ${args.join(' ')} exited (${code}): ${out}`)));
  });
}

/** A TCP port free right now on 127.0.0.1 (for a dev server that wants a number). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export function removeAll(packed: Packed | undefined): void {
  if (packed) rmSync(packed.dir, { recursive: true, force: true });
}
